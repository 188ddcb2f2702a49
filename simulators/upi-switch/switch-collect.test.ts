import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPI_NOT_FOUND_CODE } from "../../common/upi/upi-codes.js";
import type { UpiMessage } from "../../common/upi/upi-messages.js";
import { UpiSwitchKit, until } from "./test-kit.js";

/** Collects to each test VPA, status checks and VPA validation, over HTTP with signed XML. */
let kit: UpiSwitchKit;
beforeAll(async () => {
  kit = await UpiSwitchKit.start();
});
afterAll(async () => {
  await kit?.stop();
});

const respOf = (message: UpiMessage | null) => (message && "resp" in message ? message.resp : undefined);

async function finalCallback(txnId: string) {
  const [callback] = await until(
    () => kit.callbacksFor(txnId),
    (found) => found.length > 0,
  );
  expect(callback?.verified).not.toBeNull();
  return callback?.message as Extract<UpiMessage, { api: "RespPay" }>;
}

describe("a collect request", () => {
  it("is acknowledged at once, then succeeds for success@upi with both legs, its RRN and a signed callback", async () => {
    const request = kit.collect("success@upi", 49_900, { note: "Order 42", refId: "pay_1" });
    const answer = await kit.send(request);
    expect(answer.status).toBe(200);
    expect(answer.message).toMatchObject({ api: "Ack", ackApi: "ReqPay", reqMsgId: request.head.msgId });
    expect(answer.message).not.toHaveProperty("err");

    const callback = await finalCallback(request.txn.id);
    expect(callback).toMatchObject({
      api: "RespPay",
      head: { orgId: "NPCI" },
      txn: { id: request.txn.id, type: "COLLECT", custRef: expect.stringMatching(/^\d{12}$/), note: "Order 42" },
      resp: {
        reqMsgId: request.head.msgId,
        result: "SUCCESS",
        approvalNum: expect.stringMatching(/^\d{6}$/),
        refs: [
          { type: "PAYER", addr: "success@upi", respCode: "00", settAmountPaise: 49_900 },
          { type: "PAYEE", addr: "shop@gwy", respCode: "00", settAmountPaise: 49_900 },
        ],
      },
    });
    const booked = await kit.admin(`/transactions/${request.txn.id}`);
    expect(booked).toMatchObject({
      state: "SUCCESS",
      amount_paise: 49_900,
      rrn: callback.txn.custRef,
      flow: "collect",
    });
    expect(booked.legs.map((leg: { kind: string; status: string }) => `${leg.kind}:${leg.status}`)).toEqual([
      "DEBIT:SUCCESS",
      "CREDIT:SUCCESS",
    ]);
    const status = await kit.send(kit.chkTxn(request.txn.id));
    expect(status.message).toMatchObject({
      api: "RespChkTxn",
      txn: { id: request.txn.id, custRef: callback.txn.custRef },
    });
    expect(respOf(status.message)).toMatchObject({ result: "SUCCESS" });
  });

  it.each([
    ["failure@upi", "U30"],
    ["declined@upi", "ZA"],
    ["pin@upi", "ZM"],
    ["funds@upi", "Z9"],
    ["risk@upi", "U16"],
  ])("fails for %s with %s, the payer's leg carrying the code and no money moved", async (vpa, code) => {
    const request = kit.collect(vpa, 1_000);
    expect((await kit.send(request)).status).toBe(200);
    const callback = await finalCallback(request.txn.id);
    expect(callback.resp).toMatchObject({
      result: "FAILURE",
      errCode: code,
      refs: [{ type: "PAYER", addr: vpa, respCode: code }],
    });
    const accounts = await kit.admin("/accounts");
    expect(accounts.accounts.find((account: { vpa: string }) => account.vpa === vpa)).toBeUndefined();
  });

  it("fails with ZH for a VPA the switch cannot resolve", async () => {
    const request = kit.collect("nobody@upi", 1_000);
    await kit.send(request);
    expect((await finalCallback(request.txn.id)).resp).toMatchObject({ result: "FAILURE", errCode: "ZH", refs: [] });
  });

  it("lapses with U69 for expire@upi, PENDING until then", async () => {
    const request = kit.collect("expire@upi", 1_000, { expireAfter: 5 });
    await kit.send(request);
    expect(respOf((await kit.send(kit.chkTxn(request.txn.id))).message)).toMatchObject({ result: "PENDING" });
    expect((await finalCallback(request.txn.id)).resp).toMatchObject({ result: "FAILURE", errCode: "U69" });
  });

  it("answers slow@upi at once in the books, and its callback only after UPI_SLOW_CALLBACK_MS", async () => {
    const request = kit.collect("slow@upi", 2_000);
    const sent = Date.now();
    await kit.send(request);
    await until(
      () => kit.send(kit.chkTxn(request.txn.id)),
      (status) => respOf(status.message)?.result === "SUCCESS",
    );
    expect(kit.callbacksFor(request.txn.id)).toHaveLength(0);
    await finalCallback(request.txn.id);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(800);
  });

  it("never calls back for lost@upi, though a status check sees its success", async () => {
    const request = kit.collect("lost@upi", 2_500);
    await kit.send(request);
    await until(
      () => kit.send(kit.chkTxn(request.txn.id)),
      (status) => respOf(status.message)?.result === "SUCCESS",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.callbacksFor(request.txn.id)).toHaveLength(0);
    expect((await kit.admin(`/transactions/${request.txn.id}`)).callback.status).toBe("withheld");
    expect((await kit.admin(`/callbacks?txn=${request.txn.id}`)).callbacks).toEqual([]);
  });
});

describe("status checks and VPA validation", () => {
  it(`answers a status check for a txn it never received with FAILURE ${UPI_NOT_FOUND_CODE}`, async () => {
    const ask = kit.chkTxn(`GWY${"0".repeat(32)}`);
    const answer = await kit.send(ask);
    expect(answer.status).toBe(200);
    expect(answer.message).toMatchObject({
      api: "RespChkTxn",
      txn: { id: `GWY${"0".repeat(32)}`, type: "ChkTxn" },
      resp: { reqMsgId: ask.head.msgId, result: "FAILURE", errCode: UPI_NOT_FOUND_CODE, refs: [] },
    });
  });

  it("validates a test VPA with its masked name, and refuses any other with ZH", async () => {
    const known = await kit.send(kit.valAdd("success@upi"));
    expect(known.message).toMatchObject({ api: "RespValAdd", resp: { result: "SUCCESS", maskName: "S****** P****" } });
    const unknown = await kit.send(kit.valAdd("someone@okaxis"));
    expect(unknown.message).toMatchObject({ api: "RespValAdd", resp: { result: "FAILURE", errCode: "ZH" } });
  });
});
