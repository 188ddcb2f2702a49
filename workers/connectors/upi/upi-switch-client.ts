import { withDeadline } from "../../../common/deadline-signal.js";
import { BUDGETS } from "../../../common/timeout-budgets.js";
import { decodeUpi, encodeUpi, type UpiMessage, UpiWireError } from "../../../common/upi/upi-messages.js";
import { signUpiXml, verifyUpiXml } from "../../../common/upi/upi-signature.js";
import { log } from "../../logging/logger.js";
import { timedStage } from "../../middleware/server-timing/timing-scope.js";
import type { UpiSwitchLink } from "./upi-switch-link.js";

/** The most a switch answer may weigh: a RespChkTxn is a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One signed request to the switch, `POST /upi/{api}/2.0/urn:txnid:{txnId}` (the NPCI URL form),
 * and its signed answer, verified with the switch's keys and decoded from the signed bytes only.
 * Null when no usable answer came: nothing in time, a 5xx, a body that is not a message, or one
 * the switch did not sign. Null is never taken as a refusal: the caller's status check decides.
 */
export async function callSwitch(
  link: UpiSwitchLink,
  message: Extract<UpiMessage, { api: "ReqPay" | "ReqChkTxn" | "ReqValAdd" }>,
  timeoutMs: number,
): Promise<UpiMessage | null> {
  const body = await signUpiXml(encodeUpi(message), link.signer);
  const url = `${link.url}/upi/${message.api}/2.0/urn:txnid:${message.txn.id}`;
  let text: string;
  try {
    // The round trip is the `network` stage of Server-Timing; signing and verifying are not.
    const response = await timedStage("network", () =>
      withDeadline(timeoutMs, async (signal) => {
        const answer = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/xml" },
          body,
          signal,
        });
        return { status: answer.status, text: await answer.text() };
      }),
    );
    text = response.text;
    if (response.status >= 500) {
      log("warn", "upi switch answered 5xx", { api: message.api, txn: message.txn.id, status: response.status });
      return null;
    }
  } catch (error) {
    log("warn", "upi switch gave no answer", {
      api: message.api,
      txn: message.txn.id,
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
  if (text.length > MAX_ANSWER_BYTES) return null;
  const canonical = await verifyUpiXml(text, link.switchKeys).catch(() => null);
  if (canonical === null) {
    log("warn", "upi switch answer unsigned or not verifiable", { api: message.api, txn: message.txn.id });
    return null;
  }
  try {
    return decodeUpi(canonical);
  } catch (error) {
    if (!(error instanceof UpiWireError)) throw error;
    log("warn", "upi switch answer malformed", { api: message.api, txn: message.txn.id, error: error.message });
    return null;
  }
}

/** The switch's acknowledgement of a ReqPay: taken (the result comes by callback) or refused with a code. */
export type PayAck = { accepted: true } | { accepted: false; code: string };

export async function sendReqPay(
  link: UpiSwitchLink,
  message: Extract<UpiMessage, { api: "ReqPay" }>,
): Promise<PayAck | null> {
  const answer = await callSwitch(link, message, BUDGETS.upiPayAnswerMs);
  if (answer?.api !== "Ack") return null;
  if (!answer.err) return { accepted: true };
  // A duplicate names a transaction the switch already has: its fate is that one's, so ask.
  return answer.err === "U01" ? null : { accepted: false, code: answer.err };
}
