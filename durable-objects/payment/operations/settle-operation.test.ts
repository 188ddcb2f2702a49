import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentObject } from "../payment.object.js";
import { newPaymentRecord } from "../payment-record.js";
import { PaymentStore } from "../payment-store.js";
import { type OperationIntent, operationId } from "./operation-intent.js";
import { announcePending, settleOperation } from "./settle-operation.js";

const ENV = { VAULT_URL: "http://127.0.0.1:9", VAULT_SIGNING_KEY: "", AUTHORIZATION_WINDOW_SECONDS: "3600" };

/** A new payment of 1,000 for this object. */
function paymentOf(state: DurableObjectState, captureMethod: "automatic" | "manual") {
  return newPaymentRecord({
    id: `pay_${state.id.toString()}`,
    merchantId: "acct_settle",
    livemode: false,
    idempotencyKey: null,
    amount: 1_000,
    currency: "USD",
    captureMethod,
    token: "tok_settle",
    customerId: null,
    description: null,
    metadata: {},
    requestHash: "h",
  });
}

/** A captured (or authorized) payment of 1,000 in the object's storage, and an intent on it. */
function seed(state: DurableObjectState, status: "authorized" | "captured") {
  const store = new PaymentStore(state.storage);
  store.create(paymentOf(state, "manual"));
  store.transition("processing", {});
  store.transition("authorized", { amount_capturable: 1_000, processor: "acquirer_a", processor_reference: "ref" });
  if (status === "captured") store.transition("captured", { amount_captured: 1_000, amount_capturable: 0 });
  return store;
}

function intent(store: PaymentStore, kind: OperationIntent["kind"], amount: number): OperationIntent {
  const payment = store.payment();
  const created: OperationIntent = {
    id: operationId(payment?.id ?? "pay_x", 1),
    kind,
    amount,
    processor: "acquirer_a",
    processor_reference: "ref",
    refund_id: kind === "refund" ? "re_settle1" : null,
    refund_reason: null,
    idempotency_key: kind === "refund" ? "rk" : null,
    reason: "api",
    deadline: Date.now(),
    state: "pending",
    announced: false,
    resolve_at: Date.now(),
    inquiries: 0,
    result: null,
    decline_code: null,
    created_at: new Date().toISOString(),
  };
  store.saveOperation(created);
  return created;
}

const approved = {
  outcome: "approved",
  processor: "acquirer_a",
  processor_reference: "ref",
  auth_code: "123456",
} as const;

describe("settling an operation (the persist-the-outcome stage)", () => {
  it("keeps an unknown outcome pending, and announces it once: one logged change, the capture pending", async () => {
    await runInDurableObject(env.PAYMENTS.getByName("settle-unknown"), (_o: PaymentObject, state) => {
      const store = seed(state, "authorized");
      const op = intent(store, "capture", 1_000);
      const unknown = {
        outcome: "unknown",
        processor: "acquirer_a",
        processor_reference: "ref",
        resolution: "inquiry",
      } as const;
      expect(settleOperation(store, ENV, op.id, unknown)).toBe(false);
      announcePending(store, op.id, Date.now() + 2_000);
      announcePending(store, op.id);
      expect(store.payment()).toMatchObject({ status: "authorized", capture_status: "pending", version: 4 });
      expect(store.events().at(-1)).toMatchObject({ event_type: "capture.pending", old_status: "authorized" });
      expect(store.events()).toHaveLength(4);
    });
  });

  it("captures on an approval after a pending capture, clearing the pending operation", async () => {
    await runInDurableObject(env.PAYMENTS.getByName("settle-capture"), (_o: PaymentObject, state) => {
      const store = seed(state, "authorized");
      const op = intent(store, "capture", 600);
      announcePending(store, op.id);
      expect(settleOperation(store, ENV, op.id, approved)).toBe(true);
      expect(store.payment()).toMatchObject({
        status: "captured",
        amount_captured: 600,
        amount_capturable: 0,
        capture_status: "succeeded",
        pending_operation: null,
      });
      expect(store.operation(op.id)).toMatchObject({ state: "done", result: "succeeded" });
      // A second answer for a settled operation changes nothing.
      expect(
        settleOperation(store, ENV, op.id, {
          outcome: "no_effect",
          processor: "acquirer_a",
          processor_reference: "ref",
        }),
      ).toBe(true);
      expect(store.payment()?.status).toBe("captured");
    });
  });

  it("records a capture with no effect as failed, and the payment stays authorized", async () => {
    await runInDurableObject(env.PAYMENTS.getByName("settle-capture-failed"), (_o: PaymentObject, state) => {
      const store = seed(state, "authorized");
      const op = intent(store, "capture", 1_000);
      settleOperation(store, ENV, op.id, { outcome: "no_effect", processor: "acquirer_a", processor_reference: "ref" });
      expect(store.payment()).toMatchObject({ status: "authorized", capture_status: "failed", amount_captured: 0 });
      expect(store.events().at(-1)).toMatchObject({ event_type: "payment.capture_failed" });
    });
  });

  it("writes nothing when an unannounced operation was never sent", async () => {
    await runInDurableObject(env.PAYMENTS.getByName("settle-not-sent"), (_o: PaymentObject, state) => {
      const store = seed(state, "captured");
      const before = store.events().length;
      const op = intent(store, "refund", 400);
      settleOperation(store, ENV, op.id, { outcome: "unavailable", processor: "acquirer_a", reason: "refused" });
      expect(store.events()).toHaveLength(before);
      expect(store.refunds()).toEqual([]);
      expect(store.operation(op.id)).toMatchObject({ state: "done", result: "not_sent" });
    });
  });

  it("fails a pending refund that was declined, with refund.failed's refund in the same logged change", async () => {
    await runInDurableObject(env.PAYMENTS.getByName("settle-refund-failed"), (_o: PaymentObject, state) => {
      const store = seed(state, "captured");
      const op = intent(store, "refund", 400);
      announcePending(store, op.id);
      expect(store.refunds()).toMatchObject([{ id: "re_settle1", status: "pending", version: 1 }]);
      settleOperation(store, ENV, op.id, {
        outcome: "declined",
        processor: "acquirer_a",
        processor_reference: "ref",
        decline_code: "do_not_honor",
        decline_retry: "hard",
        network_response_code: "05",
      });
      expect(store.refunds()).toMatchObject([
        { id: "re_settle1", status: "failed", failure_code: "do_not_honor", version: 2, idempotency_key: "rk" },
      ]);
      expect(store.payment()).toMatchObject({ status: "captured", amount_refunded: 0, pending_operation: null });
      expect(store.outbox(20).at(-1)?.body.refunds).toMatchObject([{ status: "failed" }]);
    });
  });

  it("fails an authorization whose answer was lost and then reversed, as processor_timeout", async () => {
    await runInDurableObject(env.PAYMENTS.getByName("settle-authorize"), (_o: PaymentObject, state) => {
      const store = new PaymentStore(state.storage);
      store.create(paymentOf(state, "automatic"));
      store.transition("processing", {});
      const op = intent(store, "authorize", 1_000);
      settleOperation(store, ENV, op.id, { outcome: "no_effect", processor: "acquirer_a", processor_reference: "r2" });
      expect(store.payment()).toMatchObject({
        status: "failed",
        decline_code: "processor_timeout",
        processor_reference: "r2",
      });
    });
  });
});
