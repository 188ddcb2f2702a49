import type { IsoMessage } from "../../vault-service/iso8583/message.js";
import { respond } from "./iso-response.js";
import type { Ledger } from "./ledger.js";

const amount = (value: number) => String(value).padStart(12, "0");

/**
 * 0600 status inquiry: what the books hold for an RRN (an authorization, a sale or a refund).
 * Field 39 is the code the message was answered with (25 when reversed or never booked); field
 * 48 says where it stands and its amounts, e.g. `STATUS=captured;...;CAPTURED=000000001000`.
 */
export function inquire(ledger: Ledger, request: IsoMessage): IsoMessage {
  const entry = ledger.get(request.fields[41] ?? "", request.fields[37] ?? "");
  if (!entry) return respond(request, "25");
  const code = entry.status === "reversed" ? "25" : entry.responseCode;
  return respond(request, code, {
    ...(entry.authCode ? { 38: entry.authCode } : {}),
    48: [
      `STATUS=${entry.status}`,
      `AUTHORIZED=${amount(entry.authorizedAmount)}`,
      `CAPTURED=${amount(entry.capturedAmount)}`,
      `REVERSED=${amount(entry.reversedAmount)}`,
      `REFUNDED=${amount(entry.refundedAmount)}`,
    ].join(";"),
  });
}
