import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type DevJson, startStack } from "../support/running-stack.js";
import { switchTransaction, upiPayment, waitForStatus } from "../support/upi-kit.js";
import { eventually } from "../support/webhook-receiver.js";

/**
 * UPI's unknown outcomes through `npm start` (issue 14 item 4), with the switch simulator's fault
 * switches: an Ack that never comes or comes garbled, a switch that refuses connections, a credit
 * leg that fails (reversed) or is deemed, callbacks that are dropped. Each ends definite, agreeing
 * with the switch's books, through status checks on the configured timers: NPCI's first check
 * (90 s) is 2 s here and the switch's request fence 4 s.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack({
    UPI_FIRST_STATUS_CHECK_SECONDS: "2",
    UPI_REQUEST_FENCE_SECONDS: "4",
    UPI_PAYER_DELAY_MS: "300",
    UPI_REVERSAL_DELAY_MS: "1500",
    UPI_DEEMED_RESOLVE_MS: "3000",
  });
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function admin(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${dev.upi_switch_admin}${path}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, path).toBe(200);
}

afterEach(async () => {
  await admin("/faults", { mode: "none" });
  await admin("/legs", { credit_leg: "ok" });
  await admin("/callbacks", { mode: "deliver" });
});

/** Every state the payment went through, in order. */
async function statuses(id: string): Promise<string[]> {
  const events = await apiCall(dev, "GET", `/v1/payments/${id}/events`);
  return events.json.data.map((event: { new_status: string }) => event.new_status);
}

async function balance(vpa: string): Promise<number> {
  const books = (await (await fetch(`${dev.upi_switch_admin}/accounts`)).json()) as {
    accounts: { vpa: string; balance_paise: number }[];
  };
  return books.accounts.find((account) => account.vpa === vpa)?.balance_paise ?? 0;
}

describe("UPI under faults at the switch", () => {
  it("takes a payment whose Ack never came: processing (202), then the switch's answer captures it", async () => {
    await admin("/faults", { mode: "never_answer", apis: ["ReqPay"] });
    const created = await upiPayment(dev, { amount: 7_700, flow: "collect", vpa: "success@upi" });
    expect(created.status).toBe(202);
    expect(created.json.status).toBe("processing");
    await admin("/faults", { mode: "none" });
    const payment = await waitForStatus(dev, created.json.id, "captured", 30_000);
    expect(await switchTransaction(dev, payment.payment_method.upi.transaction_id)).toMatchObject({
      state: "SUCCESS",
      amount_paise: 7_700,
      rrn: payment.payment_method.upi.rrn,
    });
  }, 60_000);

  it("takes a payment whose Ack came garbled the same way: the status check finds it", async () => {
    await admin("/faults", { mode: "garbled", apis: ["ReqPay"] });
    const created = await upiPayment(dev, { amount: 7_800, flow: "collect", vpa: "lost@upi" });
    expect(created.json.status).toBe("processing");
    await admin("/faults", { mode: "none" });
    // lost@upi: no callback ever; only the status check can say, and by then the payer has paid:
    // processing -> captured, the single-message move that skips requires_action.
    const payment = await waitForStatus(dev, created.json.id, "captured", 20_000);
    expect(await statuses(payment.id)).toEqual(["created", "processing", "captured"]);
  });

  it("fails a payment the switch never received, once its request fence has passed, and not before", async () => {
    await admin("/faults", { mode: "refuse" });
    const created = await upiPayment(dev, { amount: 7_900, flow: "intent" });
    expect(created.json.status).toBe("processing");
    const txnId = created.json.payment_method.upi.transaction_id as string;
    await admin("/faults", { mode: "none" });
    const payment = await waitForStatus(dev, created.json.id, "failed", 20_000);
    expect(payment.decline_code).toBe("processor_unavailable");
    expect(new Date(payment.updated * 1000).getTime() - created.json.created * 1000).toBeGreaterThanOrEqual(3_000);
    expect((await fetch(`${dev.upi_switch_admin}/transactions/${txnId}`)).status).toBe(404);
  });

  it("fails a payment whose credit leg failed only once the debit is reversed, and the payer is whole", async () => {
    await admin("/legs", { credit_leg: "fail" });
    const before = await balance("success@upi");
    const created = await upiPayment(dev, { amount: 8_000, flow: "collect", vpa: "success@upi" });
    const payment = await waitForStatus(dev, created.json.id, "failed", 20_000);
    const booked = await switchTransaction(dev, payment.payment_method.upi.transaction_id);
    expect(booked).toMatchObject({ state: "FAILURE", err_code: "BT" });
    expect(booked.legs.map((leg: { kind: string; status: string }) => [leg.kind, leg.status])).toContainEqual([
      "REVERSAL",
      "SUCCESS",
    ]);
    expect(payment.attempts[0]).toMatchObject({ network_code: "BT" });
    expect(await balance("success@upi")).toBe(before);
  });

  it("keeps a deemed payment pending until the switch confirms the credit, then captures it", async () => {
    await admin("/legs", { credit_leg: "deemed" });
    const created = await upiPayment(dev, { amount: 8_100, flow: "collect", vpa: "success@upi" });
    const payment = await waitForStatus(dev, created.json.id, "captured", 20_000);
    expect(await statuses(payment.id)).toEqual(["created", "processing", "requires_action", "captured"]);
    expect(await switchTransaction(dev, payment.payment_method.upi.transaction_id)).toMatchObject({ state: "SUCCESS" });
  });

  it("keeps checking through a switch outage, and ends definite once it is back", async () => {
    const created = await upiPayment(dev, { amount: 8_200, flow: "collect", vpa: "lost@upi" });
    await admin("/faults", { mode: "refuse" });
    await new Promise((resolve) => setTimeout(resolve, 4_500)); // the first two status checks find no switch
    expect((await apiCall(dev, "GET", `/v1/payments/${created.json.id}`)).json.status).toBe("requires_action");
    await admin("/faults", { mode: "none" });
    await waitForStatus(dev, created.json.id, "captured", 30_000);
  }, 60_000);

  it("resolves a refund whose callback is dropped by status check: pending, then succeeded", async () => {
    const created = await upiPayment(dev, { amount: 8_300, flow: "collect", vpa: "success@upi" });
    const paid = await waitForStatus(dev, created.json.id, "captured");
    await admin("/callbacks", { mode: "drop" });
    const refund = await apiCall(dev, "POST", `/v1/payments/${paid.id}/refund`, {
      json: { amount: 3_000 },
      idempotencyKey: `refund-${paid.id}`,
    });
    expect(refund.status).toBe(202);
    expect(refund.json.refunds[0]).toMatchObject({ amount: 3_000, status: "pending" });
    const refunded = await waitForStatus(dev, paid.id, "partially_refunded", 20_000);
    expect(refunded.refunds[0]).toMatchObject({ amount: 3_000, status: "succeeded" });
    const booked = await eventually(
      () => switchTransaction(dev, paid.payment_method.upi.transaction_id),
      (txn) => txn.refunded_paise === 3_000,
    );
    expect(booked.refunded_paise).toBe(refunded.amount_refunded);
    // The retry under the same key answers from the refund as it ended.
    const again = await apiCall(dev, "POST", `/v1/payments/${paid.id}/refund`, {
      json: { amount: 3_000 },
      idempotencyKey: `refund-${paid.id}`,
    });
    expect(again.status).toBe(200);
    expect(again.json.amount_refunded).toBe(3_000);
  });
});
