import { paiseToRupees } from "./upi-amount.js";
import { decodeUpi } from "./upi-decode.js";
import { UPI_NAMESPACE } from "./upi-fields.js";
import type { UpiHead, UpiMessage, UpiParty, UpiResp, UpiTxn } from "./upi-messages.js";
import { UpiWireError } from "./upi-wire-error.js";

type Attrs = Record<string, string | number | undefined>;

/** XML 1.0 §2.4 / §3.1: the five characters that may not stand for themselves in an attribute value. */
function escapeAttr(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

function attrs(values: Attrs): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttr(String(value))}"`)
    .join("");
}

function element(name: string, values: Attrs, children = ""): string {
  return children === "" ? `<${name}${attrs(values)}/>` : `<${name}${attrs(values)}>${children}</${name}>`;
}

function head(h: UpiHead): string {
  return element("Head", { ver: "2.0", ts: h.ts, orgId: h.orgId, msgId: h.msgId, prodType: "UPI" });
}

function txn(t: UpiTxn): string {
  return element("Txn", {
    id: t.id,
    ts: t.ts,
    type: t.type,
    note: t.note,
    refId: t.refId,
    refUrl: t.refUrl,
    custRef: t.custRef,
    initiationMode: t.initiationMode,
    expireAfter: t.expireAfter,
    orgTxnId: t.orgTxnId,
  });
}

function rupees(paise: number): string {
  try {
    return paiseToRupees(paise);
  } catch {
    throw new UpiWireError(`amount is not a whole number of paise: ${paise}`);
  }
}

function amount(paise: number | undefined): string {
  return paise === undefined ? "" : element("Amount", { value: rupees(paise), curr: "INR" });
}

function party(name: "Payer" | "Payee", p: UpiParty): string {
  return element(name, { addr: p.addr, name: p.name, type: p.type }, amount(p.amountPaise));
}

function resp(r: UpiResp): string {
  const refs = r.refs.map((ref) =>
    element("Ref", {
      type: ref.type,
      addr: ref.addr,
      respCode: ref.respCode,
      approvalNum: ref.approvalNum,
      settAmount: ref.settAmountPaise === undefined ? undefined : rupees(ref.settAmountPaise),
    }),
  );
  const values = {
    reqMsgId: r.reqMsgId,
    result: r.result,
    errCode: r.errCode,
    approvalNum: r.approvalNum,
    maskName: r.maskName,
  };
  return element("Resp", values, refs.join(""));
}

function body(message: UpiMessage): string {
  switch (message.api) {
    case "ReqPay":
      return [
        head(message.head),
        txn(message.txn),
        message.payer ? party("Payer", message.payer) : "",
        element("Payees", {}, party("Payee", message.payee)),
      ].join("");
    case "ReqChkTxn":
      return head(message.head) + txn(message.txn);
    case "ReqValAdd":
      return head(message.head) + txn(message.txn) + element("Payees", {}, party("Payee", message.payee));
    case "RespPay":
    case "RespChkTxn":
    case "RespValAdd":
      return head(message.head) + txn(message.txn) + resp(message.resp);
    case "Ack":
      return "";
  }
}

/**
 * The unsigned XML of `message`. The root is never self-closed, so a signature can be inserted as
 * its last child and cut out again to give back these exact bytes (upi-signature.ts). The result
 * is decoded before it is returned: a message the decoder would refuse (a bad id, a control
 * character in a note) throws UpiWireError here, at the sender, not at the far end.
 */
export function encodeUpi(message: UpiMessage): string {
  const root = `upi:${message.api}`;
  const rootAttrs =
    message.api === "Ack"
      ? attrs({
          "xmlns:upi": UPI_NAMESPACE,
          api: message.ackApi,
          reqMsgId: message.reqMsgId,
          ts: message.ts,
          err: message.err,
        })
      : attrs({ "xmlns:upi": UPI_NAMESPACE });
  const xml = `<${root}${rootAttrs}>${body(message)}</${root}>`;
  decodeUpi(xml);
  return xml;
}
