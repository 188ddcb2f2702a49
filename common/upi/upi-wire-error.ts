/**
 * Anything on the UPI wire that is not a message we accept: malformed XML, a DOCTYPE, a field out
 * of shape. The only error the codec throws on hostile input. `npciCode` is the code a switch puts
 * in its Ack `err` for it: U05 "formation is not proper", or U12 "amount or currency mismatch"
 * (NPCI UPI Error and Response Codes v2.5, as listed at dev.m2p.app/docs/upi/npci-error-codes).
 */
export class UpiWireError extends Error {
  override readonly name = "UpiWireError";

  constructor(
    message: string,
    readonly npciCode: "U05" | "U12" = "U05",
  ) {
    super(message);
  }
}
