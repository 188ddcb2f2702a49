import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UpiMessage } from "../../common/upi/upi-messages.js";
import { UpiSwitchKit, until } from "./test-kit.js";

/** Debit, credit and reversal legs, deemed credits, refunds, and how callbacks are delivered. */
let kit: UpiSwitchKit;
beforeAll(async () => {
  kit = await UpiSwitchKit.start();
});
afterAll(async () => {
  await kit?.stop();
});
afterEach(async () => {
  kit.answerStatus = 200;
  await put("/legs", { credit_leg: "ok" });
  await put("/callbacks", { mode: "deliver" });
});

const put = (path: string, body: object) =>
  kit.admin(path, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
const resultOf = async (txnId: string) => {
  const answer = (await kit.send(kit.chkTxn(txnId))).message;
  return answer && "resp" in answer ? answer.resp : undefined;
};
const callbacks = (txnId: string, count = 1) =>
  until(
    () => kit.callbacksFor(txnId),
    (found) => found.length >= count,
  );
const respPay = (message: UpiMessage | null | undefined) => (message?.api === "RespPay" ? message : undefined);
const balance = async (vpa: string) =>
  ((await kit.admin("/accounts")).accounts as { vpa: string; balance_paise: number }[]).find((a) => a.vpa === vpa)
    ?.balance_paise ?? 0;

async function paid(vpa: string, amount: number) {
  const request = kit.collect(vpa, amount);
  await kit.send(request);
  await until(
    () => resultOf(request.txn.id),
    (resp) => resp?.result === "SUCCESS",
  );
  return request;
}

describe("the credit leg", () => {
  it("failing: the debit is reversed after UPI_REVERSAL_DELAY_MS and the txn fails with BT, money back", async () => {
    await put("/legs", { credit_leg: "fail" });
    const before = await balance("success@upi");
    const request = kit.collect("success@upi", 3_000);
    await kit.send(request);
    await until(
      () => kit.admin(`/transactions/${request.txn.id}`),
      (txn) => txn.state === "REVERSAL_PENDING",
    );
    expect(await resultOf(request.txn.id)).toMatchObject({ result: "PENDING" });
    const [callback] = await callbacks(request.txn.id);
    expect(respPay(callback?.message)?.resp).toMatchObject({
      result: "FAILURE",
      errCode: "BT",
      refs: [
        { type: "PAYER", respCode: "00", settAmountPaise: 3_000 },
        { type: "PAYEE", respCode: "BT" },
        { type: "REVERSAL", addr: "success@upi", respCode: "00", settAmountPaise: 3_000 },
      ],
    });
    expect(await balance("success@upi")).toBe(before);
  });

  it("deemed: the status check says DEEMED until the credit is confirmed, then SUCCESS with one callback", async () => {
    await put("/legs", { credit_leg: "deemed" });
    const request = kit.collect("success@upi", 1_100);
    await kit.send(request);
    await until(
      () => resultOf(request.txn.id),
      (resp) => resp?.result === "DEEMED",
    );
    expect(kit.callbacksFor(request.txn.id)).toHaveLength(0);
    const [callback] = await callbacks(request.txn.id);
    expect(respPay(callback?.message)?.resp).toMatchObject({
      result: "SUCCESS",
      refs: [{ type: "PAYER" }, { type: "PAYEE", respCode: "00" }],
    });
    expect(kit.callbacksFor(request.txn.id)).toHaveLength(1);
  });
});

describe("refunds", () => {
  it("refund partially then fully, each with its own state and callback, and refuse one paisa more", async () => {
    const payment = await paid("success@upi", 49_900);
    const before = await balance("success@upi");
    const partial = kit.refund(payment.txn.id, "success@upi", 10_000);
    expect((await kit.send(partial)).message).not.toHaveProperty("err");
    expect((await kit.admin(`/transactions/${partial.txn.id}`)).state).toBe("DEBITED");
    const [first] = await callbacks(partial.txn.id);
    expect(respPay(first?.message)).toMatchObject({
      txn: { id: partial.txn.id, type: "REFUND", orgTxnId: payment.txn.id },
      resp: {
        result: "SUCCESS",
        refs: [
          { type: "PAYER", addr: "shop@gwy" },
          { type: "PAYEE", addr: "success@upi" },
        ],
      },
    });
    const rest = kit.refund(payment.txn.id, "success@upi", 39_900);
    await kit.send(rest);
    await callbacks(rest.txn.id);
    expect((await kit.send(kit.refund(payment.txn.id, "success@upi", 1))).message).toMatchObject({ err: "U07" });

    const booked = await kit.admin(`/transactions/${payment.txn.id}`);
    expect(booked.refunded_paise).toBe(49_900);
    expect(
      booked.refunds.map((r: { id: string; state: string; amount_paise: number }) => [r.id, r.state, r.amount_paise]),
    ).toEqual([
      [partial.txn.id, "SUCCESS", 10_000],
      [rest.txn.id, "SUCCESS", 39_900],
    ]);
    expect(await balance("success@upi")).toBe(before + 49_900);
  });

  it("refuses a refund of an unknown txn (U04), of a failed one (U10), or to someone else (U07)", async () => {
    expect((await kit.send(kit.refund(`GWY${"1".repeat(32)}`, "success@upi", 100))).message).toMatchObject({
      err: "U04",
    });
    const failed = kit.collect("funds@upi", 100);
    await kit.send(failed);
    await callbacks(failed.txn.id);
    expect((await kit.send(kit.refund(failed.txn.id, "funds@upi", 100))).message).toMatchObject({ err: "U10" });
    const payment = await paid("success@upi", 500);
    expect((await kit.send(kit.refund(payment.txn.id, "thief@upi", 100))).message).toMatchObject({ err: "U07" });
  });

  it("sends no callback for a refund to lost@upi; a status check sees it", async () => {
    const payment = await paid("lost@upi", 800);
    const refund = kit.refund(payment.txn.id, "lost@upi", 800);
    await kit.send(refund);
    await until(
      () => resultOf(refund.txn.id),
      (resp) => resp?.result === "SUCCESS",
    );
    expect(kit.callbacksFor(refund.txn.id)).toHaveLength(0);
  });
});

describe("callbacks", () => {
  it("are retried until the PSP answers 200, then marked delivered", async () => {
    kit.answerStatus = 500;
    const request = kit.collect("success@upi", 100);
    await kit.send(request);
    await callbacks(request.txn.id, 2);
    kit.answerStatus = 200;
    const txn = await until(
      () => kit.admin(`/transactions/${request.txn.id}`),
      (booked) => booked.callback.status === "delivered",
    );
    expect(txn.callback.attempts).toBeGreaterThanOrEqual(3);
    const log = (await kit.admin(`/callbacks?txn=${request.txn.id}`)).callbacks as { status: number }[];
    expect(log.map((entry) => entry.status).slice(0, 2)).toEqual([500, 500]);
    expect(log.at(-1)?.status).toBe(200);
  });

  it("are not sent while dropped, and a replay sends the same signed message again", async () => {
    await put("/callbacks", { mode: "drop" });
    const request = kit.collect("success@upi", 100);
    await kit.send(request);
    await until(
      () => kit.admin(`/transactions/${request.txn.id}`),
      (booked) => booked.callback.status === "dropped",
    );
    expect(kit.callbacksFor(request.txn.id)).toHaveLength(0);
    const replayed = await kit.admin(`/callbacks/${request.txn.id}/replay`, { method: "POST" });
    expect(replayed).toMatchObject({ txn_id: request.txn.id, status: 200 });
    await kit.admin(`/callbacks/${request.txn.id}/replay`, { method: "POST" });
    const [first, second] = kit.callbacksFor(request.txn.id);
    expect(first?.verified).not.toBeNull();
    expect(second?.verified).toBe(first?.verified);
    expect(respPay(first?.message)?.resp.result).toBe("SUCCESS");
  });

  it("cannot be replayed before the txn is final", async () => {
    const request = kit.collect("manual@upi", 100);
    await kit.send(request);
    const response = await fetch(`${kit.sim.adminUrl}/callbacks/${request.txn.id}/replay`, { method: "POST" });
    expect(response.status).toBe(409);
  });
});
