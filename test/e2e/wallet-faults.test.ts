import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type DevJson, startStack } from "../support/running-stack.js";
import {
  approvalOf,
  backToMerchant,
  expectLanding,
  healWallet,
  payerTrip,
  paymentEvents,
  paymentStatuses,
  paymentWhen,
  paypalPayment,
  projected,
  readPayment,
  replayWalletEvent,
  SHOP_RETURN,
  sleep,
  theOnlyOrder,
  walletEvents,
  walletFault,
  walletLedger,
  walletOrdersFor,
  walletWebhooks,
  webhooksSettled,
} from "../support/wallet-kit.js";
import { eventually } from "../support/webhook-receiver.js";

/**
 * The PayPal-style wallet's unknown outcomes and hostile callers through `npm start` (issue 15),
 * with the wallet simulator's fault switches (answers lost, spoiled or refused; webhooks dropped;
 * the API port closed), Postgres stopped, and a public return page fed junk. Each payment ends
 * definite and the same three ways: the gateway's API, its Postgres projection, and the wallet's
 * own books (one order per payment, by `custom_id`; one capture; refunds summing right). The
 * gateway's first status check is 1 s here (at most 2 s between checks). never_answer costs the
 * gateway's full 20 s write budget, so it is used once; garbled and http_500 make the other points.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack({
    WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1,1,1,1",
    WEBHOOK_LOCAL_RECEIVERS: "on",
    WALLET_FIRST_STATUS_CHECK_SECONDS: "1",
    WALLET_STATUS_CHECK_MAX_SECONDS: "2",
    WALLET_PENDING_CAPTURE_MS: "1500",
  });
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

afterEach(async () => {
  await healWallet(dev);
});

const key = (what: string) => `wallet-faults-${what}-${crypto.randomUUID()}`;

/** A payment the payer approved as approve@ and came back from: captured, or authorized (manual). */
async function approvedPayment(change: Record<string, unknown> = {}) {
  const created = await paypalPayment(dev, change);
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  const trip = await payerTrip(dev, created.json);
  expectLanding(trip.merchantUrl, SHOP_RETURN, created.json.id, "succeeded");
  return { id: created.json.id as string, orderId: created.json.payment_method.paypal.order_id as string };
}

/**
 * The payment ended `status` with `captured` taken and `refunded` given back, agreeing everywhere:
 * the API (nothing pending), the Postgres row, and the wallet (its only order for the payment,
 * at most one capture, the ledger's money).
 */
async function agreesEverywhere(
  id: string,
  status: string,
  money: { captured: number; refunded?: number; captures?: number },
): Promise<{ payment: Record<string, any>; order: Record<string, any> }> {
  const refunded = money.refunded ?? 0;
  const payment = await paymentWhen(
    dev,
    id,
    (found) => found.status === status && found.pending_operation === null,
    15_000,
  );
  expect(payment).toMatchObject({ amount_captured: money.captured, amount_refunded: refunded, processor: "paypal" });
  const row = await projected(dev, id, status);
  expect(row).toMatchObject({
    amount_captured: money.captured,
    amount_refunded: refunded,
    payment_method_type: "paypal",
  });
  const order = await theOnlyOrder(dev, id);
  expect(order.id).toBe(payment.payment_method.paypal.order_id);
  expect(order.captures, JSON.stringify(order.captures)).toHaveLength(money.captures ?? (money.captured > 0 ? 1 : 0));
  const ledger = await walletLedger(dev, order.id);
  expect(ledger).toMatchObject({ captured_minor: money.captured, refunded_minor: refunded, pending_minor: 0 });
  const refundsAtWallet = (order.refunds as { amount_minor: number }[]).reduce((sum, r) => sum + r.amount_minor, 0);
  expect(refundsAtWallet).toBe(refunded);
  if (payment.payment_method.paypal.capture_id) {
    expect(order.captures.map((capture: { id: string }) => capture.id)).toContain(
      payment.payment_method.paypal.capture_id,
    );
  }
  return { payment, order };
}

describe("the order's creation under faults", () => {
  it("repeats a create whose answer never came as the same request: one order, requires_action, then captured", async () => {
    await walletFault(dev, { mode: "never_answer", routes: ["orders.create"] });
    const createKey = key("create-lost");
    const created = await paypalPayment(dev, { amount: 2_101 }, createKey);
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    expect(created.json).toMatchObject({ status: "processing", processor: "paypal", next_action: null });
    expect(created.json.payment_method?.paypal?.order_id ?? null).toBeNull();
    const id = created.json.id as string;
    // The wallet made the order: only its answer was lost.
    const booked = await theOnlyOrder(dev, id);
    expect(booked).toMatchObject({ amount_minor: 2_101, custom_id: id });

    await healWallet(dev);
    const waiting = await paymentWhen(dev, id, (payment) => payment.status === "requires_action", 15_000);
    expect(approvalOf(dev, waiting).orderId).toBe(booked.id);
    expect((await theOnlyOrder(dev, id)).id).toBe(booked.id);
    await projected(dev, id, "requires_action");

    // The merchant retrying its create under the same key gets this payment as it now stands (the
    // payer's turn, with the approval page), and no second order.
    const again = await paypalPayment(dev, { amount: 2_101 }, createKey);
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    expect(again.json).toMatchObject({ id, status: "requires_action" });
    expect(approvalOf(dev, again.json).orderId).toBe(booked.id);

    const trip = await payerTrip(dev, waiting);
    expectLanding(trip.merchantUrl, SHOP_RETURN, id, "succeeded");
    const { payment } = await agreesEverywhere(id, "captured", { captured: 2_101 });
    expect(payment.payment_method.paypal.payer_email).toBe("approve@wallet.test");
    expect(await paymentStatuses(dev, id)).toEqual([
      "created",
      "processing",
      "requires_action",
      "processing",
      "captured",
    ]);
    expect(await paymentEvents(dev, id, "payment.captured")).toHaveLength(1);
  }, 75_000);

  it("does the same when the create's answer comes garbled", async () => {
    await walletFault(dev, { mode: "garbled", routes: ["orders.create"] });
    const created = await paypalPayment(dev, { amount: 2_102 });
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    expect(created.json).toMatchObject({ status: "processing", next_action: null });
    const id = created.json.id as string;
    const booked = await theOnlyOrder(dev, id);
    // While the answer keeps coming garbled, the repeats (the same request) make no second order.
    await sleep(2_500);
    expect((await readPayment(dev, id)).status).toBe("processing");
    expect((await theOnlyOrder(dev, id)).id).toBe(booked.id);

    await healWallet(dev);
    const waiting = await paymentWhen(dev, id, (payment) => payment.status === "requires_action", 15_000);
    expect(approvalOf(dev, waiting).orderId).toBe(booked.id);
    await payerTrip(dev, waiting);
    await agreesEverywhere(id, "captured", { captured: 2_102 });
  });

  it.each([
    ["down (connections refused)", { mode: "refuse" as const }],
    ["answering 500", { mode: "http_500" as const, routes: ["orders.create" as const] }],
  ])("creates the order once the wallet is back after being %s", async (_what, fault) => {
    await walletFault(dev, fault);
    const created = await paypalPayment(dev, { amount: 2_103 });
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    expect(created.json).toMatchObject({ status: "processing", next_action: null });
    const id = created.json.id as string;
    await sleep(2_500); // a status check or two find the wallet still out
    expect((await readPayment(dev, id)).status).toBe("processing");
    expect(await walletOrdersFor(dev, id)).toEqual([]);

    await healWallet(dev);
    const waiting = await paymentWhen(dev, id, (payment) => payment.status === "requires_action", 15_000);
    const order = await theOnlyOrder(dev, id);
    expect(approvalOf(dev, waiting).orderId).toBe(order.id);
    expect(order).toMatchObject({ amount_minor: 2_103, captures: [] });
    expect(order.status).toMatch(/^(CREATED|PAYER_ACTION_REQUIRED)$/);
    expect(await projected(dev, id, "requires_action")).toMatchObject({ amount_captured: 0 });
  });
});

describe("the payer's approval under faults", () => {
  it("captures once when the return's capture answer comes garbled and the webhooks are dropped", async () => {
    await walletWebhooks(dev, "drop");
    await walletFault(dev, { mode: "garbled", routes: ["orders.capture"] });
    const created = await paypalPayment(dev, { amount: 2_201 });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    const trip = await payerTrip(dev, created.json);
    expect(["processing", "succeeded"]).toContain(trip.merchantUrl?.searchParams.get("redirect_status"));
    expectLanding(
      trip.merchantUrl,
      SHOP_RETURN,
      id,
      trip.merchantUrl?.searchParams.get("redirect_status") === "succeeded" ? "succeeded" : "processing",
    );

    await healWallet(dev);
    const { payment, order } = await agreesEverywhere(id, "captured", { captured: 2_201 });
    expect(order.captures[0]).toMatchObject({ status: "COMPLETED", amount_minor: 2_201 });
    expect(payment.payment_method.paypal.capture_id).toBe(order.captures[0].id);
    expect(await paymentEvents(dev, id, "payment.captured")).toHaveLength(1);
    // Nothing reached the gateway by webhook: the status check found the capture.
    const events = await walletEvents(dev, order.id);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.delivery.status === "dropped")).toBe(true);
    // A payer reloading the return page lands as succeeded now, and nothing is captured again.
    expectLanding(await backToMerchant(trip.gatewayUrl), SHOP_RETURN, id, "succeeded");
    expect((await theOnlyOrder(dev, id)).captures).toHaveLength(1);
  });

  it("fails a declined instrument whose capture answer was lost, rather than waiting for the payer again", async () => {
    await walletWebhooks(dev, "drop");
    await walletFault(dev, { mode: "garbled", routes: ["orders.capture"] });
    const created = await paypalPayment(dev, { amount: 2_251 });
    const id = created.json.id as string;
    const trip = await payerTrip(dev, created.json, { payer: "decline" });
    expect(["processing", "failed"]).toContain(trip.merchantUrl?.searchParams.get("redirect_status"));
    await healWallet(dev);
    const ended = await paymentWhen(dev, id, (payment) => payment.status !== "processing", 15_000);
    expect(ended).toMatchObject({ status: "failed", decline_code: "wallet_instrument_declined", amount_captured: 0 });
    expect(await paymentStatuses(dev, id)).toEqual([
      "created",
      "processing",
      "requires_action",
      "processing",
      "failed",
    ]);
    expect((await theOnlyOrder(dev, id)).captures ?? []).toHaveLength(0);
    expectLanding(await backToMerchant(trip.gatewayUrl), SHOP_RETURN, id, "failed");
  });

  it("keeps trying the capture while the wallet answers 500, and captures once when it is back", async () => {
    await walletWebhooks(dev, "drop");
    await walletFault(dev, { mode: "http_500", routes: ["orders.capture"] });
    const created = await paypalPayment(dev, { amount: 2_202 });
    const id = created.json.id as string;
    const trip = await payerTrip(dev, created.json);
    expectLanding(trip.merchantUrl, SHOP_RETURN, id, "processing");
    await sleep(2_500); // status checks try the capture again, and are answered 500 again
    expect(await readPayment(dev, id)).toMatchObject({ status: "processing", amount_captured: 0 });
    expect((await theOnlyOrder(dev, id)).captures).toEqual([]);

    await healWallet(dev);
    await agreesEverywhere(id, "captured", { captured: 2_202 });
    expect(await paymentStatuses(dev, id)).toEqual([
      "created",
      "processing",
      "requires_action",
      "processing",
      "captured",
    ]);
  });

  it("authorizes a manual payment once whose authorize answer came garbled, the webhooks dropped", async () => {
    await walletWebhooks(dev, "drop");
    await walletFault(dev, { mode: "garbled", routes: ["orders.authorize"] });
    const created = await paypalPayment(dev, { amount: 2_204, capture_method: "manual" });
    const id = created.json.id as string;
    const trip = await payerTrip(dev, created.json);
    expect(["processing", "succeeded"]).toContain(trip.merchantUrl?.searchParams.get("redirect_status"));
    await healWallet(dev);
    const { payment, order } = await agreesEverywhere(id, "authorized", { captured: 0 });
    expect(payment.amount_capturable).toBe(2_204);
    expect(order.authorizations).toEqual([
      expect.objectContaining({ id: payment.payment_method.paypal.authorization_id, status: "CREATED" }),
    ]);
    expect(await walletLedger(dev, order.id)).toMatchObject({ authorized_open_minor: 2_204, captured_minor: 0 });
    expect(await paymentEvents(dev, id, "payment.authorized")).toHaveLength(1);
  });

  it("captures by its own status check when the payer never comes back and the webhooks are dropped", async () => {
    await walletWebhooks(dev, "drop");
    const created = await paypalPayment(dev, { amount: 2_203 });
    const id = created.json.id as string;
    const approvedAt = Date.now();
    const trip = await payerTrip(dev, created.json, { follow: false });
    const captured = await paymentWhen(dev, id, (payment) => payment.status === "captured", 10_000);
    expect(Date.now() - approvedAt).toBeLessThan(10_000);
    expect(captured.payment_method.paypal).toMatchObject({
      payer_email: "approve@wallet.test",
      capture_id: expect.stringMatching(/^[A-Z0-9]{17}$/),
    });
    const { order } = await agreesEverywhere(id, "captured", { captured: 2_203 });
    const events = await walletEvents(dev, order.id);
    expect(events.map((event) => event.event_type)).toContain("CHECKOUT.ORDER.APPROVED");
    expect(events.every((event) => event.delivery.status === "dropped")).toBe(true);
    // The payer's browser turns up late: bounced as succeeded, nothing captured twice.
    expectLanding(await backToMerchant(trip.gatewayUrl), SHOP_RETURN, id, "succeeded");
    expect((await theOnlyOrder(dev, id)).captures).toHaveLength(1);
    expect(await paymentEvents(dev, id, "payment.captured")).toHaveLength(1);
  });
});

describe("captures, voids and refunds whose answers are lost", () => {
  it("captures a manual payment once whose capture answer came garbled, the retried key answering the final state", async () => {
    const { id, orderId } = await approvedPayment({ capture_method: "manual", amount: 2_301 });
    expect(await readPayment(dev, id)).toMatchObject({ status: "authorized", amount_capturable: 2_301 });
    await walletFault(dev, { mode: "garbled", routes: ["authorizations.capture"] });
    const captureKey = key("capture");
    const capture = () => apiCall(dev, "POST", `/v1/payments/${id}/capture`, { json: {}, idempotencyKey: captureKey });

    const first = await capture();
    expect(first.status, JSON.stringify(first.json)).toBe(202);
    expect(first.json).toMatchObject({
      status: "authorized",
      capture_status: "pending",
      amount_captured: 0,
      pending_operation: { type: "capture", amount: 2_301 },
    });
    // The wallet did capture: only the answer was spoiled.
    expect((await walletOrdersFor(dev, id))[0]?.captures).toHaveLength(1);
    // While it is unknown: the same key says pending again; another capture is refused, not run.
    const duringKey = await capture();
    expect(duringKey.status).toBe(202);
    const other = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, {
      json: {},
      idempotencyKey: key("capture-other"),
    });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe("payment_operation_pending");

    await healWallet(dev);
    await paymentWhen(dev, id, (payment) => payment.status === "captured", 15_000);
    const retried = await capture();
    expect(retried.status, JSON.stringify(retried.json)).toBe(200);
    expect(retried.json).toMatchObject({
      status: "captured",
      amount_captured: 2_301,
      amount_capturable: 0,
      capture_status: "succeeded",
      pending_operation: null,
    });
    const { payment, order } = await agreesEverywhere(id, "captured", { captured: 2_301 });
    expect(order).toMatchObject({ id: orderId, intent: "AUTHORIZE" });
    expect(order.captures[0]).toMatchObject({ status: "COMPLETED", amount_minor: 2_301 });
    expect(payment.payment_method.paypal.capture_id).toBe(order.captures[0].id);
    expect(await walletLedger(dev, orderId)).toMatchObject({ authorized_open_minor: 0 });
    expect(await paymentEvents(dev, id, "payment.captured")).toHaveLength(1);
    // And once more: the same final answer, replayed.
    const replay = await capture();
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ status: "captured", amount_captured: 2_301 });
  });

  it("voids a manual payment whose void answer came garbled: pending, then voided", async () => {
    const { id, orderId } = await approvedPayment({ capture_method: "manual", amount: 2_302 });
    await walletFault(dev, { mode: "garbled", routes: ["authorizations.void"] });
    const voidKey = key("void");
    const cancel = await apiCall(dev, "POST", `/v1/payments/${id}/cancel`, { json: {}, idempotencyKey: voidKey });
    expect(cancel.status, JSON.stringify(cancel.json)).toBe(202);
    expect(cancel.json).toMatchObject({ status: "authorized", pending_operation: { type: "cancel" } });
    expect((await walletOrdersFor(dev, id))[0]?.authorizations).toEqual([
      expect.objectContaining({ status: "VOIDED" }),
    ]);

    await healWallet(dev);
    const { order } = await agreesEverywhere(id, "voided", { captured: 0 });
    expect(order.authorizations).toEqual([expect.objectContaining({ status: "VOIDED", amount_minor: 2_302 })]);
    expect(await walletLedger(dev, orderId)).toMatchObject({ authorized_open_minor: 0, captured_minor: 0 });
    expect((await readPayment(dev, id)).amount_capturable).toBe(0);
    const retried = await apiCall(dev, "POST", `/v1/payments/${id}/cancel`, { json: {}, idempotencyKey: voidKey });
    expect(retried.status).toBe(200);
    expect(retried.json.status).toBe("voided");
    expect(await paymentEvents(dev, id, "payment.voided")).toHaveLength(1);
  });

  it("refunds once when the refund's answer came garbled: pending, then succeeded, the key replaying it", async () => {
    const { id, orderId } = await approvedPayment({ amount: 2_303 });
    await walletFault(dev, { mode: "garbled", routes: ["captures.refund"] });
    const refundKey = key("refund");
    const refund = () =>
      apiCall(dev, "POST", `/v1/payments/${id}/refund`, { json: { amount: 700 }, idempotencyKey: refundKey });

    const first = await refund();
    expect(first.status, JSON.stringify(first.json)).toBe(202);
    expect(first.json).toMatchObject({ status: "captured", amount_refunded: 0 });
    expect(first.json.refunds).toEqual([expect.objectContaining({ amount: 700, status: "pending" })]);
    const refundId = first.json.refunds[0].id as string;
    expect((await walletOrdersFor(dev, id))[0]?.refunds).toHaveLength(1);

    await healWallet(dev);
    const { payment, order } = await agreesEverywhere(id, "partially_refunded", { captured: 2_303, refunded: 700 });
    expect(payment.refunds).toEqual([expect.objectContaining({ id: refundId, amount: 700, status: "succeeded" })]);
    expect(order.refunds).toEqual([expect.objectContaining({ amount_minor: 700, status: "COMPLETED" })]);
    expect(order.refunds[0].capture_id).toBe(payment.payment_method.paypal.capture_id);

    const retried = await refund();
    expect(retried.status, JSON.stringify(retried.json)).toBe(200);
    expect(retried.json.amount_refunded).toBe(700);
    expect(retried.json.refunds).toEqual([expect.objectContaining({ id: refundId, amount: 700, status: "succeeded" })]);
    expect((await theOnlyOrder(dev, id)).refunds).toHaveLength(1);

    // The rest, with no fault: the refunds add up to the capture, at the gateway and at the wallet.
    const rest = await apiCall(dev, "POST", `/v1/payments/${id}/refund`, { json: {}, idempotencyKey: key("rest") });
    expect([200, 202], JSON.stringify(rest.json)).toContain(rest.status);
    const whole = await agreesEverywhere(id, "refunded", { captured: 2_303, refunded: 2_303 });
    expect(whole.order.refunds.map((entry: { amount_minor: number }) => entry.amount_minor)).toEqual([700, 1_603]);
    expect(await walletLedger(dev, orderId)).toMatchObject({ refunded_minor: 2_303 });
  });
});

describe("the wallet's webhooks replayed", () => {
  it("changes nothing when CHECKOUT.ORDER.APPROVED and PAYMENT.CAPTURE.COMPLETED come five times each after the capture", async () => {
    const { id, orderId } = await approvedPayment({ amount: 2_401 });
    const events = await webhooksSettled(dev, orderId);
    const approved = events.find((event) => event.event_type === "CHECKOUT.ORDER.APPROVED");
    const completed = events.find((event) => event.event_type === "PAYMENT.CAPTURE.COMPLETED");
    expect(approved, JSON.stringify(events)).toBeDefined();
    expect(completed, JSON.stringify(events)).toBeDefined();
    await sleep(1_000);
    const before = await readPayment(dev, id);
    expect(before.status).toBe("captured");
    await projected(dev, id, "captured");

    const replays = await Promise.all(
      [approved, completed].flatMap((event) =>
        Array.from({ length: 5 }, () => replayWalletEvent(dev, event?.id ?? "")),
      ),
    );
    expect(replays).toHaveLength(10);
    for (const status of replays) {
      expect(status).toBeGreaterThanOrEqual(200);
      expect(status).toBeLessThan(300);
    }
    await sleep(1_500);
    const after = await readPayment(dev, id);
    expect(after).toMatchObject({ status: "captured", version: before.version, amount_captured: 2_401 });
    const { order } = await agreesEverywhere(id, "captured", { captured: 2_401 });
    expect(order.captures).toHaveLength(1);
    expect((await projected(dev, id, "captured")).version).toBe(before.version);
    expect(await paymentEvents(dev, id, "payment.captured")).toHaveLength(1);
  });
});

describe("hostile callers at the public return page", () => {
  const notFoundPage = async (url: string, headers: Record<string, string> = {}) => {
    const answer = await fetch(url, { redirect: "manual", headers });
    const body = await answer.text();
    return { status: answer.status, body, type: answer.headers.get("content-type") ?? "", headers: answer.headers };
  };

  it("answers junk, wrong orders and unknown payments with a 404 page that reflects nothing, the payment untouched", async () => {
    const created = await paypalPayment(dev, { amount: 2_501 });
    const id = created.json.id as string;
    const { orderId } = approvalOf(dev, created.json);
    const otherOrder = approvalOf(dev, (await paypalPayment(dev, { amount: 2_502 })).json).orderId;
    const script = "<script>alert(1)</script>";
    const cases: [string, string, number[]][] = [
      ["a script for a token", `${dev.api}/wallet/return/${id}?token=${encodeURIComponent(script)}`, [404]],
      ["a script on the cancel page", `${dev.api}/wallet/cancel/${id}?token=${encodeURIComponent(script)}`, [404]],
      ["another payment's order", `${dev.api}/wallet/return/${id}?token=${otherOrder}&PayerID=ABCDEFGHIJKLM`, [404]],
      ["an order of nobody", `${dev.api}/wallet/return/${id}?token=5O190127TN364715T`, [404]],
      ["no token", `${dev.api}/wallet/return/${id}`, [404]],
      ["a 10 KB token", `${dev.api}/wallet/return/${id}?token=${"A".repeat(10 * 1024)}`, [404, 414]],
      ["an unknown payment", `${dev.api}/wallet/return/pay_${"ab".repeat(32)}?token=${orderId}`, [404]],
      ["not a payment id", `${dev.api}/wallet/return/${encodeURIComponent(script)}?token=${orderId}`, [404]],
    ];
    for (const [what, url, allowed] of cases) {
      const answer = await notFoundPage(url);
      expect(allowed, `${what}: ${answer.status}`).toContain(answer.status);
      if (answer.status === 404) {
        expect(answer.type, what).toContain("text/html");
        expect(answer.body, what).toContain("not valid");
      }
      expect(answer.headers.get("location"), what).toBeNull();
      for (const reflected of ["<script", "alert(1)", "5O190127TN364715T", otherOrder, "AAAAAAAAAA", id]) {
        expect(answer.body, `${what} reflects ${reflected.slice(0, 20)}`).not.toContain(reflected);
      }
      await sleep(60); // not a flood: each of these is a failed authentication against this address
    }
    const after = await readPayment(dev, id);
    expect(after).toMatchObject({ status: "requires_action", version: created.json.version, amount_captured: 0 });
    const order = await theOnlyOrder(dev, id);
    expect(order).toMatchObject({ id: orderId, captures: [], payer: null });
    expect(order.status).toMatch(/^(CREATED|PAYER_ACTION_REQUIRED)$/);
  });

  it("answers a flood of wrong tokens from one address 429, while the real payer is still let through", async () => {
    const created = await paypalPayment(dev, { amount: 2_503 });
    const id = created.json.id as string;
    const trip = await payerTrip(dev, created.json, { follow: false });
    const flooder = { "CF-Connecting-IP": "203.0.113.77" };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        notFoundPage(`${dev.api}/wallet/return/${id}?token=WRONGTOKEN${String(i).padStart(7, "0")}`, flooder),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(
      statuses.every((status) => status === 404 || status === 429),
      statuses.join(","),
    ).toBe(true);
    expect(statuses, statuses.join(",")).toContain(429);
    const limited = answers.find((answer) => answer.status === 429);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited?.body).not.toContain("WRONGTOKEN");
    // The payer, from another address, is let through.
    expectLanding(await backToMerchant(trip.gatewayUrl), SHOP_RETURN, id, "succeeded");
    await agreesEverywhere(id, "captured", { captured: 2_503 });
  });
});

describe("Postgres stopped", () => {
  async function stackAdmin(path: string): Promise<void> {
    const response = await fetch(`${dev.stack_admin}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${dev.stack_admin_token}` },
    });
    expect(response.status, path).toBe(200);
  }

  it("captures a payment approved while Postgres is down, and the projection catches up once it is back", async () => {
    const created = await paypalPayment(dev, { amount: 2_601 });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    await projected(dev, id, "requires_action");
    await stackAdmin("/postgres/stop");
    let trip: Awaited<ReturnType<typeof payerTrip>>;
    let captured: Record<string, any>;
    try {
      // The payer's trip needs no database: the payment's object owns the payment.
      trip = await payerTrip(dev, created.json);
      expectLanding(trip.merchantUrl, SHOP_RETURN, id, "succeeded");
      captured = await eventually(
        () => walletOrdersFor(dev, id),
        (orders) => orders[0]?.status === "COMPLETED",
        10_000,
      ).then((orders) => orders[0] as Record<string, any>);
      expect(captured.captures).toEqual([expect.objectContaining({ status: "COMPLETED", amount_minor: 2_601 })]);
    } finally {
      await stackAdmin("/postgres/start");
    }
    const row = await projected(dev, id, "captured", 60_000);
    expect(row).toMatchObject({ amount_captured: 2_601 });
    const { payment } = await agreesEverywhere(id, "captured", { captured: 2_601 });
    expect(payment.payment_method.paypal.capture_id).toBe(captured.captures[0].id);
    expect(row.version).toBe(payment.version);
    expect(await paymentEvents(dev, id, "payment.captured")).toHaveLength(1);
    // And the stack takes new wallet payments again.
    const next = await paypalPayment(dev, { amount: 2_602 });
    expect(next.status).toBe(200);
    expect(next.json.status).toBe("requires_action");
  }, 120_000);
});
