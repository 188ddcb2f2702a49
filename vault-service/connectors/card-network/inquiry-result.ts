import type { IsoMessage } from "../../iso8583/message.js";
import type { InquiryResult } from "../card-connector.js";
import { interpretResponseCode } from "./response-codes.js";

/**
 * Field 48 of a 0610 (private additional data): `KEY=value` pairs separated by `;`, as our
 * acquirer sends them, e.g. `STATUS=captured;CAPTURED=000000001000`.
 */
export function privateData(field48: string | undefined): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of (field48 ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) pairs.set(part.slice(0, at), part.slice(at + 1));
  }
  return pairs;
}

/**
 * A 0610 status inquiry response as what the books say. The status in field 48 wins over
 * field 39, which for a booked message is the code it was answered with; 25 ("unable to locate
 * the original") without a status means the host never booked that reference.
 */
export function inquiryResult(response: IsoMessage): InquiryResult {
  const data = privateData(response.fields[48]);
  const status = data.get("STATUS");
  const code = response.fields[39] ?? "";
  const authCode = response.fields[38] ?? null;
  switch (status) {
    case "reversed":
      return { status: "reversed" };
    case "captured":
      return { status: "captured", capturedAmount: Number(data.get("CAPTURED") ?? "0"), authCode };
    case "approved":
      return { status: "approved", authCode };
    case "declined":
      return declined(code);
    case undefined:
      if (code === "25") return { status: "not_found" };
      return declined(code);
    default:
      // A status this connector does not know: not an answer it can act on.
      return { status: "unavailable", reason: `inquiry answered with an unknown status '${status}'` };
  }
}

function declined(code: string): InquiryResult {
  const outcome = interpretResponseCode(code);
  if (outcome.approved) return { status: "unavailable", reason: `inquiry answered ${code} without a status` };
  return { status: "declined", decline: outcome.decline, responseCode: code };
}
