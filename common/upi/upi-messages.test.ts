import { describe, expect, it } from "vitest";
import { newUpiId, UPI_ID_PATTERN } from "./upi-fields.js";
import { decodeUpi, encodeUpi, type UpiMessage, UpiWireError } from "./upi-messages.js";

const NS = 'xmlns:upi="http://npci.org/upi/schema/"';
const ts = "2025-06-16T10:15:30.000Z";
const head = { ts, orgId: "GWY", msgId: newUpiId("GWY") };
const txnId = newUpiId("GWY");

const messages: UpiMessage[] = [
  {
    api: "ReqPay",
    head,
    txn: {
      id: txnId,
      ts,
      type: "COLLECT",
      note: `Tea & "cake" <for> 'two'`,
      refId: "ord_1",
      initiationMode: "00",
      expireAfter: 30,
    },
    payer: { addr: "success@upi", name: "Asha", type: "PERSON", amountPaise: 49900 },
    payee: { addr: "shop@gwy", name: "Chai Co", type: "ENTITY", amountPaise: 49900 },
  },
  {
    api: "ReqPay",
    head,
    txn: { id: txnId, ts, type: "PAY", initiationMode: "04", expireAfter: 64800, refUrl: "https://shop.example/o/1" },
    payee: { addr: "shop@gwy", name: "Chai Co", amountPaise: 1 },
  },
  {
    api: "ReqPay",
    head,
    txn: { id: newUpiId("GWY"), ts, type: "REFUND", orgTxnId: txnId },
    payer: { addr: "shop@gwy", amountPaise: 100 },
    payee: { addr: "success@upi", amountPaise: 100 },
  },
  {
    api: "RespPay",
    head: { ts: "2025-06-16T15:45:30+05:30", orgId: "NPCI", msgId: newUpiId("NPC") },
    txn: { id: txnId, ts, type: "COLLECT", custRef: "512345678901" },
    resp: {
      reqMsgId: head.msgId,
      result: "FAILURE",
      errCode: "BT",
      refs: [
        { type: "PAYER", addr: "success@upi", respCode: "00", approvalNum: "123456", settAmountPaise: 49900 },
        { type: "PAYEE", addr: "shop@gwy", respCode: "BT" },
        { type: "REVERSAL", addr: "success@upi", respCode: "00", settAmountPaise: 49900 },
      ],
    },
  },
  { api: "ReqChkTxn", head, txn: { id: newUpiId("GWY"), ts, type: "ChkTxn", orgTxnId: txnId } },
  {
    api: "RespChkTxn",
    head: { ts, orgId: "NPCI", msgId: newUpiId("NPC") },
    txn: { id: txnId, ts, type: "ChkTxn" },
    resp: { reqMsgId: head.msgId, result: "FAILURE", errCode: "U04", refs: [] },
  },
  { api: "ReqValAdd", head, txn: { id: newUpiId("GWY"), ts, type: "ValAdd" }, payee: { addr: "success@upi" } },
  {
    api: "RespValAdd",
    head: { ts, orgId: "NPCI", msgId: newUpiId("NPC") },
    txn: { id: newUpiId("GWY"), ts, type: "ValAdd" },
    resp: { reqMsgId: head.msgId, result: "SUCCESS", maskName: "A*** S***", refs: [] },
  },
  { api: "Ack", ackApi: "ReqPay", reqMsgId: head.msgId, ts },
  { api: "Ack", ackApi: "ReqPay", reqMsgId: "", ts, err: "U05" },
];

function wireError(xml: string): UpiWireError {
  try {
    decodeUpi(xml);
  } catch (error) {
    if (error instanceof UpiWireError) return error;
    throw new Error(`threw ${String(error)} instead of UpiWireError`);
  }
  throw new Error(`accepted: ${xml.slice(0, 200)}`);
}

const reqPay = (inner: string) =>
  `<upi:ReqPay ${NS}><Head ver="2.0" ts="${ts}" orgId="GWY" msgId="${head.msgId}" prodType="UPI"/>${inner}</upi:ReqPay>`;
const payTxn = `<Txn id="${txnId}" ts="${ts}" type="PAY"/>`;
const payees = (amount: string) => `<Payees><Payee addr="shop@gwy"><Amount ${amount}/></Payee></Payees>`;

describe("the UPI codec", () => {
  it.each(messages.map((m) => [m.api, m] as const))("round-trips a %s", (_api, message) => {
    const xml = encodeUpi(message);
    expect(xml.startsWith(`<upi:${message.api} ${NS}`)).toBe(true);
    expect(xml.endsWith(`</upi:${message.api}>`)).toBe(true);
    expect(decodeUpi(xml)).toEqual(message);
  });

  it("writes the wire shapes of the brief", () => {
    const xml = encodeUpi(messages[0] as UpiMessage);
    expect(xml).toContain(`<Head ver="2.0" ts="${ts}" orgId="GWY" msgId="${head.msgId}" prodType="UPI"/>`);
    expect(xml).toContain('note="Tea &amp; &quot;cake&quot; &lt;for&gt; &apos;two&apos;"');
    expect(xml).toContain(
      '<Payer addr="success@upi" name="Asha" type="PERSON"><Amount value="499.00" curr="INR"/></Payer>',
    );
    expect(xml).toContain('<Payees><Payee addr="shop@gwy" name="Chai Co" type="ENTITY">');
    expect(encodeUpi(messages[9] as UpiMessage)).toBe(
      `<upi:Ack ${NS} api="ReqPay" reqMsgId="" ts="${ts}" err="U05"></upi:Ack>`,
    );
  });

  it("makes 35-character alphanumeric ids that start with the sender's orgId", () => {
    const id = newUpiId("GWY");
    expect(id).toMatch(UPI_ID_PATTERN);
    expect(id.startsWith("GWY")).toBe(true);
  });

  it("accepts another prefix or a default namespace, a declaration, comments and whitespace", () => {
    const inner = `<Head ver="2.0" ts="${ts}" orgId="GWY" msgId="${head.msgId}" prodType="UPI"/>
      <!-- a comment --><Txn id="${txnId}" ts="${ts}" type="ChkTxn" orgTxnId="${txnId}"/>`;
    const expected = { api: "ReqChkTxn", head, txn: { id: txnId, ts, type: "ChkTxn", orgTxnId: txnId } };
    expect(
      decodeUpi(
        `<?xml version="1.0" encoding="UTF-8"?>\n<n:ReqChkTxn xmlns:n="http://npci.org/upi/schema/">${inner}</n:ReqChkTxn>`,
      ),
    ).toEqual(expected);
    expect(decodeUpi(`<ReqChkTxn xmlns="http://npci.org/upi/schema/">${inner}</ReqChkTxn>`)).toEqual(expected);
  });

  it("refuses to encode what it would not decode", () => {
    const bad = [
      { ...(messages[6] as UpiMessage & { api: "ReqValAdd" }), payee: { addr: "not a vpa" } },
      { ...(messages[0] as UpiMessage & { api: "ReqPay" }), txn: { id: "short", ts, type: "PAY" as const } },
      { ...(messages[0] as UpiMessage & { api: "ReqPay" }), payee: { addr: "shop@gwy", amountPaise: 1.5 } },
      {
        ...(messages[1] as UpiMessage & { api: "ReqPay" }),
        txn: { id: txnId, ts, type: "PAY" as const, note: "a\nb" },
      },
    ];
    for (const message of bad) expect(() => encodeUpi(message)).toThrow(UpiWireError);
  });
});

describe("hostile and malformed UPI XML", () => {
  it("refuses a DOCTYPE and entity declarations (billion laughs, XXE)", () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>${reqPay(`${payTxn}${payees('value="1.00" curr="INR"')}`).replace('orgId="GWY"', 'orgId="&lol2;"')}`;
    expect(wireError(laughs).message).toMatch(/DOCTYPE/);
    const xxe = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><upi:Ack ${NS} api="ReqPay" reqMsgId="&xxe;" ts="${ts}"></upi:Ack>`;
    expect(wireError(xxe).message).toMatch(/DOCTYPE/);
  });

  it("refuses over 64 KiB", () => {
    const padded = reqPay(`${payTxn}${payees('value="1.00" curr="INR"')}<!--${"x".repeat(65_536)}-->`);
    expect(wireError(padded).message).toMatch(/too large/);
    // Measured in UTF-8 bytes, not characters.
    expect(wireError(reqPay(`<!--${"€".repeat(22_000)}-->`)).message).toMatch(/too large/);
  });

  it("refuses a wrong namespace, a wrong root or two roots", () => {
    const body = `${payTxn}${payees('value="1.00" curr="INR"')}`;
    expect(() => decodeUpi(reqPay(body).replace("npci.org/upi/schema/", "evil.example/"))).toThrow(UpiWireError);
    expect(() => decodeUpi(reqPay(body).replaceAll("upi:ReqPay", "upi:ReqEvil"))).toThrow(/unknown API/);
    expect(() => decodeUpi(`<upi:ReqPay>${body}</upi:ReqPay>`)).toThrow(UpiWireError);
    expect(() => decodeUpi(`${reqPay(body)}${reqPay(body)}`)).toThrow(UpiWireError);
  });

  it("refuses malformed XML and duplicate attributes", () => {
    for (const bad of [
      "",
      "not xml",
      reqPay(`${payTxn}<Payees>`),
      reqPay(`<Txn id="${txnId}" id="${txnId}" ts="${ts}" type="PAY"/>${payees('value="1.00" curr="INR"')}`),
      reqPay(`<Txn id=${txnId} ts="${ts}" type="PAY"/>`),
    ]) {
      wireError(bad);
    }
  });

  it("refuses a repeated element rather than choosing one", () => {
    wireError(reqPay(`${payTxn}${payTxn}${payees('value="1.00" curr="INR"')}`));
    wireError(
      reqPay(
        `${payTxn}<Payees><Payee addr="a1@upi"><Amount value="1.00" curr="INR"/></Payee><Payee addr="a2@upi"/></Payees>`,
      ),
    );
  });

  it("refuses bad amounts, other currencies and bad ids, each as a UpiWireError", () => {
    for (const amount of ['value="1" curr="INR"', 'value="-1.00" curr="INR"', 'value="1e3" curr="INR"', 'curr="INR"']) {
      expect(wireError(reqPay(`${payTxn}${payees(amount)}`)).npciCode).toBe("U05");
    }
    expect(wireError(reqPay(`${payTxn}${payees('value="1.00" curr="USD"')}`)).npciCode).toBe("U12");
    wireError(
      reqPay(
        `<Txn id="GWY-has-a-dash-0000000000000000000" ts="${ts}" type="PAY"/>${payees('value="1.00" curr="INR"')}`,
      ),
    );
    wireError(reqPay(`<Txn id="${txnId}" ts="yesterday" type="PAY"/>${payees('value="1.00" curr="INR"')}`));
    wireError(
      reqPay(`<Txn id="${txnId}" ts="${ts}" type="PAY" expireAfter="64801"/>${payees('value="1.00" curr="INR"')}`),
    );
  });

  it("refuses missing required parts for each API", () => {
    wireError(reqPay(payTxn)); // no Payees
    wireError(reqPay(`<Txn id="${txnId}" ts="${ts}" type="COLLECT"/>${payees('value="1.00" curr="INR"')}`)); // collect without payer
    wireError(
      reqPay(
        `<Txn id="${txnId}" ts="${ts}" type="REFUND"/><Payer addr="shop@gwy"/>${payees('value="1.00" curr="INR"')}`,
      ),
    );
    wireError(reqPay(`<Txn id="${txnId}" ts="${ts}" type="ChkTxn"/>${payees('value="1.00" curr="INR"')}`));
    wireError(`<upi:Ack ${NS} api="ReqPay" ts="${ts}"></upi:Ack>`);
  });

  it("turns the parser's own failures (prototype names, deep nesting) into UpiWireError", () => {
    wireError(reqPay(`${payTxn}${payees('value="1.00" curr="INR"')}<__proto__ polluted="yes"/>`));
    wireError(reqPay(`<constructor/>${payTxn}`));
    wireError(reqPay(`${"<a>".repeat(8000)}${"</a>".repeat(8000)}`));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("never throws anything but UpiWireError on random mutations of a valid message", () => {
    const valid = encodeUpi(messages[3] as UpiMessage);
    const alphabet = `<>/="'&;: ?!-[]x\u0000\u00ff€`;
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 500; round++) {
      const chars = [...valid];
      for (let edits = 1 + (next() % 4); edits > 0; edits--) {
        chars[next() % chars.length] = alphabet[next() % alphabet.length] as string;
      }
      try {
        decodeUpi(chars.join(""));
      } catch (error) {
        expect(error).toBeInstanceOf(UpiWireError);
      }
    }
  });
});
