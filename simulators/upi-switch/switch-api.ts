import { Hono } from "hono";
import { UPI_NOT_FOUND_CODE } from "../../common/upi/upi-codes.js";
import { decodeUpi, encodeUpi, type UpiMessage, UpiWireError } from "../../common/upi/upi-messages.js";
import { signUpiXml, type UpiSigner, verifyUpiXml } from "../../common/upi/upi-signature.js";
import { apiOfPath } from "./faults.js";
import type { Ledger } from "./ledger.js";
import { reqPayRefusal, staleRequest } from "./request-checks.js";
import { ack, respChkTxn, switchHead } from "./responses.js";
import type { SwitchEngine } from "./switch-engine.js";
import { maskedName } from "./test-vpas.js";

export interface SwitchApiDeps {
  ledger: Ledger;
  engine: SwitchEngine;
  signer: UpiSigner;
  /** The PSP's (gateway's) public keys: every request must verify against one of them. */
  pspKeys: Map<string, CryptoKey>;
  limitPaise: number;
  maxRequestAgeMs: number;
}

/**
 * The switch's UPI endpoint: `POST /upi/{Api}/2.0/urn:txnid:{txnId}`, signed XML in, signed XML
 * out. ReqPay is answered at once with an Ack and its result comes later as a RespPay callback, as
 * in NPCI's API. ReqChkTxn and ReqValAdd are answered in the HTTP response itself (RespChkTxn,
 * RespValAdd): a departure from NPCI, where those answers are asynchronous too, made so the
 * gateway's status check is one request with one answer.
 */
export function createSwitchApi(deps: SwitchApiDeps) {
  async function reply(message: UpiMessage, status: 200 | 400 | 401 = 200): Promise<Response> {
    const body = await signUpiXml(encodeUpi(message), deps.signer);
    return new Response(body, { status, headers: { "Content-Type": "application/xml; charset=utf-8" } });
  }

  return new Hono().post("/upi/*", async (c) => {
    const target = apiOfPath(c.req.path);
    if (!target) return c.text("no such UPI API", 404);
    const raw = await c.req.text();
    const canonical = await verifyUpiXml(raw, deps.pspKeys);
    // Unsigned or wrongly signed: nothing in it is trusted, not even its msgId.
    if (canonical === null) return reply(ack(target.api, "", "U15"), 401);
    let message: UpiMessage;
    try {
      message = decodeUpi(canonical);
    } catch (error) {
      return reply(ack(target.api, "", error instanceof UpiWireError ? error.npciCode : "U05"), 400);
    }
    // The URL names the API; a message of another (a response, an Ack) is not a request here.
    if (message.api !== target.api) return reply(ack(target.api, "", "U05"), 400);
    // U06 "transaction ID is mismatched": the URL names one txn, the message another.
    if (message.txn.id !== target.txnId) return reply(ack(target.api, message.head.msgId, "U06"), 400);
    if (staleRequest(message.head, deps.maxRequestAgeMs)) return reply(ack(target.api, message.head.msgId, "U07"));
    switch (message.api) {
      case "ReqPay": {
        const refusal = reqPayRefusal(message, deps.ledger, deps.limitPaise);
        if (refusal) return reply(ack("ReqPay", message.head.msgId, refusal));
        deps.engine.accept(message);
        return reply(ack("ReqPay", message.head.msgId));
      }
      case "ReqChkTxn": {
        const orgTxnId = message.txn.orgTxnId ?? "";
        const record = deps.ledger.get(orgTxnId);
        return reply(respChkTxn(record, { msgId: message.head.msgId, orgTxnId }, UPI_NOT_FOUND_CODE));
      }
      case "ReqValAdd": {
        const name = maskedName(message.payee.addr);
        const resp = name
          ? { reqMsgId: message.head.msgId, result: "SUCCESS" as const, maskName: name, refs: [] }
          : { reqMsgId: message.head.msgId, result: "FAILURE" as const, errCode: "ZH", refs: [] };
        return reply({ api: "RespValAdd", head: switchHead(), txn: message.txn, resp });
      }
    }
  });
}
