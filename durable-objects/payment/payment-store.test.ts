import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentObject } from "./payment.object.js";
import { newPaymentRecord } from "./payment-record.js";
import { IllegalTransition, PaymentStore } from "./payment-store.js";

const record = (id: string) =>
  newPaymentRecord({
    id,
    merchantId: "acct_store",
    livemode: false,
    idempotencyKey: null,
    amount: 5_000,
    currency: "EUR",
    captureMethod: "manual",
    token: "tok_store",
    customerId: null,
    description: null,
    metadata: {},
    requestHash: "hash",
  });

describe("the payment object's store", () => {
  it("writes state, one event and one outbox message per transition, in order, with the version", async () => {
    const stub = env.PAYMENTS.getByName("store-order");
    await runInDurableObject(stub, (_object: PaymentObject, state) => {
      const store = new PaymentStore(state.storage);
      store.create(record("pay_store"));
      store.transition("processing", {});
      store.transition("authorized", { amount_capturable: 5_000 });
      expect(store.payment()).toMatchObject({ status: "authorized", version: 3 });
      expect(store.events().map((event) => [event.sequence, event.old_status, event.new_status])).toEqual([
        [1, null, "created"],
        [2, "created", "processing"],
        [3, "processing", "authorized"],
      ]);
      const outbox = store.outbox(10);
      expect(outbox.map((row) => [row.body.event.sequence, row.body.payment.version, row.body.payment.status])).toEqual(
        [
          [1, 1, "created"],
          [2, 2, "processing"],
          [3, 3, "authorized"],
        ],
      );
      // The orchestrator's private fields never leave the object (the processor reference does:
      // a chargeback names its payment by it).
      expect(JSON.stringify(outbox)).not.toMatch(/resolve_at|resolve_attempts|void_at/);
    });
  });

  it("refuses a transition outside the seed's table and writes nothing for it", async () => {
    const stub = env.PAYMENTS.getByName("store-refuse");
    await runInDurableObject(stub, (_object: PaymentObject, state) => {
      const store = new PaymentStore(state.storage);
      store.create(record("pay_refuse"));
      expect(() => store.transition("captured", { amount_captured: 5_000 })).toThrow(IllegalTransition);
      expect(() => store.transition("refunded", {})).toThrow(IllegalTransition);
      expect(store.payment()).toMatchObject({ status: "created", version: 1, amount_captured: 0 });
      expect(store.events()).toHaveLength(1);
      expect(store.outbox(10)).toHaveLength(1);
    });
  });
});
