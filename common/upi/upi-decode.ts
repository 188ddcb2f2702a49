import { rupeesToPaise } from "./upi-amount.js";
import {
  APPROVAL_NUM_PATTERN,
  CUST_REF_PATTERN,
  INITIATION_MODE_PATTERN,
  isUpiTimestamp,
  MAX_EXPIRE_MINUTES,
  MIN_EXPIRE_MINUTES,
  ORG_ID_PATTERN,
  UPI_CODE_PATTERN,
  UPI_ID_PATTERN,
} from "./upi-fields.js";
import type { UpiHead, UpiMessage, UpiParty, UpiRef, UpiResp, UpiResult, UpiTxn, UpiTxnType } from "./upi-messages.js";
import { isVpa } from "./upi-vpa.js";
import { UpiWireError } from "./upi-wire-error.js";
import {
  attr,
  fail,
  matches,
  type Node,
  nodes,
  one,
  oneOf,
  optionalOne,
  parseUpiXml,
  present,
  required,
  text,
} from "./upi-xml-tree.js";

const isId = matches(UPI_ID_PATTERN);

function paise(node: Node, element: string, name: string): number | undefined {
  const value = attr(node, element, name, (v) => rupeesToPaise(v) !== null);
  return value === undefined ? undefined : (rupeesToPaise(value) as number);
}

function head(root: Node): UpiHead {
  const h = one(root, "Head");
  required(h, "Head", "ver", oneOf("2.0"));
  required(h, "Head", "prodType", oneOf("UPI"));
  return {
    ts: required(h, "Head", "ts", isUpiTimestamp),
    orgId: required(h, "Head", "orgId", matches(ORG_ID_PATTERN)),
    msgId: required(h, "Head", "msgId", isId),
  };
}

function txn(root: Node, types: UpiTxnType[]): UpiTxn {
  const t = one(root, "Txn");
  const expireAfter = attr(t, "Txn", "expireAfter", (v) => {
    const minutes = /^\d{1,5}$/.test(v) ? Number(v) : 0;
    return minutes >= MIN_EXPIRE_MINUTES && minutes <= MAX_EXPIRE_MINUTES;
  });
  return present({
    id: required(t, "Txn", "id", isId),
    ts: required(t, "Txn", "ts", isUpiTimestamp),
    type: required(t, "Txn", "type", oneOf(...types)) as UpiTxnType,
    note: attr(t, "Txn", "note", text(255)),
    refId: attr(t, "Txn", "refId", text(35)),
    refUrl: attr(t, "Txn", "refUrl", text(255)),
    custRef: attr(t, "Txn", "custRef", matches(CUST_REF_PATTERN)),
    initiationMode: attr(t, "Txn", "initiationMode", matches(INITIATION_MODE_PATTERN)),
    expireAfter: expireAfter === undefined ? undefined : Number(expireAfter),
    orgTxnId: attr(t, "Txn", "orgTxnId", isId),
  });
}

function party(node: Node, element: "Payer" | "Payee"): UpiParty {
  const amount = optionalOne(node, "Amount");
  if (amount && attr(amount, "Amount", "curr", () => true) !== "INR") {
    throw new UpiWireError("UPI moves INR only", "U12");
  }
  return present({
    addr: required(node, element, "addr", isVpa),
    name: attr(node, element, "name", text(99)),
    type: attr(node, element, "type", oneOf("PERSON", "ENTITY")) as UpiParty["type"],
    amountPaise: amount ? (paise(amount, "Amount", "value") ?? fail("<Amount> needs value")) : undefined,
  });
}

function payee(root: Node): UpiParty {
  const payees = nodes(one(root, "Payees"), "Payee");
  if (payees.length !== 1) fail("exactly one <Payee> is supported");
  return party(payees[0] as Node, "Payee");
}

function ref(node: Node): UpiRef {
  return present({
    type: required(node, "Ref", "type", oneOf("PAYER", "PAYEE", "REVERSAL")) as UpiRef["type"],
    addr: attr(node, "Ref", "addr", isVpa),
    respCode: attr(node, "Ref", "respCode", matches(UPI_CODE_PATTERN)),
    approvalNum: attr(node, "Ref", "approvalNum", matches(APPROVAL_NUM_PATTERN)),
    settAmountPaise: paise(node, "Ref", "settAmount"),
  });
}

function resp(root: Node): UpiResp {
  const r = one(root, "Resp");
  const refs = nodes(r, "Ref");
  if (refs.length > 8) fail("too many <Ref>");
  return present({
    reqMsgId: required(r, "Resp", "reqMsgId", isId),
    result: required(r, "Resp", "result", oneOf("SUCCESS", "FAILURE", "PENDING", "DEEMED")) as UpiResult,
    errCode: attr(r, "Resp", "errCode", matches(UPI_CODE_PATTERN)),
    approvalNum: attr(r, "Resp", "approvalNum", matches(APPROVAL_NUM_PATTERN)),
    maskName: attr(r, "Resp", "maskName", text(99)),
    refs: refs.map(ref),
  });
}

function message(api: string, root: Node): UpiMessage {
  switch (api) {
    case "ReqPay": {
      const t = txn(root, ["PAY", "COLLECT", "REFUND"]);
      const payer = optionalOne(root, "Payer");
      if (t.type === "REFUND" && !t.orgTxnId) fail("a REFUND names its orgTxnId");
      if (t.type !== "PAY" && !payer) fail(`a ${t.type} names its <Payer>`);
      const p = payee(root);
      if (p.amountPaise === undefined) fail("<Payee> needs <Amount>");
      return present({ api, head: head(root), txn: t, payer: payer && party(payer, "Payer"), payee: p });
    }
    case "ReqChkTxn": {
      const t = txn(root, ["ChkTxn"]);
      if (!t.orgTxnId) fail("a ChkTxn names its orgTxnId");
      return { api, head: head(root), txn: t };
    }
    case "ReqValAdd":
      return { api, head: head(root), txn: txn(root, ["ValAdd"]), payee: payee(root) };
    case "RespPay":
      return { api, head: head(root), txn: txn(root, ["PAY", "COLLECT", "REFUND"]), resp: resp(root) };
    case "RespChkTxn":
      return { api, head: head(root), txn: txn(root, ["PAY", "COLLECT", "REFUND", "ChkTxn"]), resp: resp(root) };
    case "RespValAdd":
      return { api, head: head(root), txn: txn(root, ["ValAdd"]), resp: resp(root) };
    case "Ack":
      return present({
        api,
        ackApi: required(root, "Ack", "api", matches(/^(Req|Resp)[A-Za-z]{2,20}$/)),
        reqMsgId: required(root, "Ack", "reqMsgId", (v) => v === "" || isId(v)),
        ts: required(root, "Ack", "ts", isUpiTimestamp),
        err: attr(root, "Ack", "err", matches(UPI_CODE_PATTERN)),
      });
    default:
      return fail(`unknown API ${api}`);
  }
}

/**
 * Parses one UPI message. Anything malformed (wrong namespace or root, a missing or ill-shaped
 * attribute, a bad amount or id, a DOCTYPE, over 64 KiB) throws UpiWireError, and so does every
 * failure inside the parser: hostile input never throws anything else.
 */
export function decodeUpi(xml: string): UpiMessage {
  try {
    const { api, root } = parseUpiXml(xml);
    return message(api, root);
  } catch (error) {
    if (error instanceof UpiWireError) throw error;
    throw new UpiWireError("not a UPI message");
  }
}
