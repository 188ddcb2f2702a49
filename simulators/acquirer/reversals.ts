import type { IsoMessage } from "../../vault-service/iso8583/message.js";
import { respond } from "./iso-response.js";
import type { Ledger } from "./ledger.js";
import { decodeOriginalData } from "./original-data.js";

/**
 * 0400 reversal and 0401 repeat: idempotent, always acknowledged (00). An approved or captured
 * original is reversed once; a declined one has nothing to undo. A reversal for an RRN the host
 * has not booked is remembered, so a late original with that RRN is declined (12) rather than
 * booked: real hosts match late originals to the reversals that overtook them.
 */
export function reverse(ledger: Ledger, network: string, request: IsoMessage): IsoMessage {
  const terminal = request.fields[41] ?? "";
  const rrn = request.fields[37] ?? "";
  const original = ledger.get(terminal, rrn);
  if (!original) {
    const originalMti = decodeOriginalData(request.fields[90] ?? "").mti;
    const now = new Date().toISOString();
    ledger.save({
      terminal,
      rrn,
      stan: "",
      kind: originalMti === "0200" ? "sale" : "authorization",
      network,
      last4: "",
      amount: Number(request.fields[4] ?? "0"),
      currency: request.fields[49] ?? "",
      responseCode: "12",
      authCode: null,
      status: "reversed",
      authorizedAmount: 0,
      capturedAmount: 0,
      reversedAmount: 0,
      refundedAmount: 0,
      originalRrn: null,
      reversals: 1,
      createdAt: now,
      updatedAt: now,
    });
  } else if (original.status === "approved" || original.status === "captured") {
    // A reversal voids the whole transaction before clearing, a sale's (or completion's) capture included.
    ledger.save({
      ...original,
      status: "reversed",
      reversedAmount: original.authorizedAmount,
      capturedAmount: 0,
      reversals: original.reversals + 1,
    });
  } else {
    ledger.save({ ...original, reversals: original.reversals + 1 });
  }
  return respond(request, "00");
}
