import { Hono } from "hono";
import { decodeUpi, encodeUpi, UpiWireError } from "../../../common/upi/upi-messages.js";
import { signUpiXml, verifyUpiXml } from "../../../common/upi/upi-signature.js";
import { processorReferenceName } from "../../../durable-objects/processor-references/processor-reference.object.js";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";
import { log } from "../../logging/logger.js";
import { asStranger } from "../../rate-limits/strangers.js";
import { upiAnswerOf } from "./upi-answer.js";
import { UPI_TXN_ID } from "./upi-ids.js";
import { type UpiSwitchLink, upiSwitchLink } from "./upi-switch-link.js";

/**
 * The Ack's `err` codes, NPCI's as the switch uses them for the same faults in its requests
 * (simulators/upi-switch/): U05 malformed, U06 the URL names another transaction, U15 the
 * signature ("checksum") fails, U04 no such transaction, U17 no PSP (UPI not set up in this mode).
 */
const ACK = { malformed: "U05", mismatch: "U06", signature: "U15", unknown: "U04", notConfigured: "U17" } as const;

/** A RespPay is a few hundred bytes; anything near this is not one. */
const MAX_CALLBACK_BYTES = 64 * 1024;

/** The PSP's Ack of a callback (NPCI: every message is acknowledged), signed like every message we send. */
async function ack(link: UpiSwitchLink | null, reqMsgId: string, err?: string): Promise<string> {
  const xml = encodeUpi({
    api: "Ack",
    ackApi: "RespPay",
    reqMsgId,
    ts: new Date().toISOString(),
    ...(err ? { err } : {}),
  });
  return link ? signUpiXml(xml, link.signer) : xml;
}

function xml(
  body: string,
  status: 200 | 400 | 401 | 404 | 413 | 429 | 503,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, { status, headers: { ...headers, "Content-Type": "application/xml" } });
}

/**
 * The signed bytes of `body` if the mode's switch signed it. A forgery counts as a failed
 * authentication against its sender's address (workers/rate-limits/strangers.ts), so a flood of
 * them is answered 429 before any signature is checked.
 */
async function verified(c: Parameters<typeof asStranger>[0], body: string, link: UpiSwitchLink): Promise<string> {
  return asStranger(c, async (stranger) => {
    stranger.reserve();
    const canonical = await verifyUpiXml(body, link.switchKeys).catch(() => null);
    if (canonical === null) throw new ApiError("signature_invalid");
    return canonical;
  });
}

/**
 * The switch's callbacks (issue 14 item 4): `POST /network/upi/{test|live}/RespPay/2.0/urn:txnid:{id}`,
 * one URL per mode as registered with each mode's switch. The only way into a UPI payment besides
 * its own status checks, so nothing is believed before the signature verifies with that mode's
 * switch keys (401 otherwise, and nothing changes), and only the signed bytes are parsed. The
 * transaction id leads, through the reference index, to the payment, which applies the answer
 * once: a second delivery, or one after a status check decided, changes nothing and is still
 * acknowledged (200), so the switch stops retrying.
 */
export const upiCallbackRoutes = new Hono<AppEnv>().post("/:mode/RespPay/2.0/:urn", async (c) => {
  const mode = c.req.param("mode");
  if (mode !== "test" && mode !== "live") return xml(await ack(null, "", ACK.notConfigured), 404);
  const livemode = mode === "live";
  const txnId = /^urn:txnid:(.+)$/.exec(c.req.param("urn"))?.[1] ?? "";
  const pending = upiSwitchLink(c.env, livemode);
  const link = pending ? await pending.catch(() => null) : null;
  if (!link) return xml(await ack(null, "", ACK.notConfigured), 404);
  const body = await c.req.text();
  if (body.length > MAX_CALLBACK_BYTES) return xml(await ack(link, "", ACK.malformed), 413);
  let canonical: string;
  try {
    canonical = await verified(c, body, link);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 429) return xml(await ack(link, "", ACK.signature), 429, error.headers);
    log("warn", "upi callback refused: signature does not verify", { txn: txnId.slice(0, 40), livemode });
    return xml(await ack(link, "", ACK.signature), 401);
  }
  let message: ReturnType<typeof decodeUpi>;
  try {
    message = decodeUpi(canonical);
  } catch (error) {
    if (!(error instanceof UpiWireError)) throw error;
    return xml(await ack(link, "", ACK.malformed), 400);
  }
  if (message.api !== "RespPay" || message.txn.id !== txnId || !UPI_TXN_ID.test(txnId)) {
    return xml(await ack(link, "head" in message ? message.head.msgId : "", ACK.mismatch), 400);
  }
  const index = c.env.PROCESSOR_REFERENCES.get(
    c.env.PROCESSOR_REFERENCES.idFromName(processorReferenceName("upi_switch", txnId)),
  );
  const paymentId = await index.owner();
  const hex = /^pay_([0-9a-f]{64})$/.exec(paymentId ?? "")?.[1];
  if (!hex) return xml(await ack(link, message.head.msgId, ACK.unknown), 404);
  const payment = c.env.PAYMENTS.get(c.env.PAYMENTS.idFromString(hex));
  const known = await payment.upiAnswer(livemode, txnId, upiAnswerOf(message.resp, message.txn.custRef));
  if (!known) return xml(await ack(link, message.head.msgId, ACK.unknown), 404);
  return xml(await ack(link, message.head.msgId), 200);
});
