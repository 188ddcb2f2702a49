import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newMerchant } from "../../test/edge/support/api.js";
import { IdempotencyKeys } from "./idempotency-keys.js";
import type { PaymentObject } from "./payment.object.js";
import { newPaymentRecord } from "./payment-record.js";
import { PaymentStore } from "./payment-store.js";

const HOUR = 3600 * 1000;

/**
 * Puts a payment in `status` straight into the object's storage, with one idempotency key older
 * than 24 h and one fresh, and its alarm armed.
 */
async function seed(name: string, merchantId: string, status: "authorized" | "captured") {
  const stub = env.PAYMENTS.getByName(name);
  const voidAt = Date.now() + HOUR;
  await runInDurableObject(stub, async (_instance: PaymentObject, state) => {
    const store = new PaymentStore(state.storage);
    store.create(
      newPaymentRecord({
        id: `pay_${state.id.toString()}`,
        merchantId,
        livemode: false,
        idempotencyKey: null,
        amount: 1_000,
        currency: "USD", // as the API stores it (uppercased)
        captureMethod: "manual",
        token: "tok_alarm",
        customerId: null,
        description: null,
        metadata: {},
        requestHash: "hash",
      }),
    );
    store.transition("processing", {});
    store.transition("authorized", {
      amount_capturable: 1_000,
      processor: "visa",
      processor_reference: "alarm-test",
      void_at: new Date(voidAt).toISOString(),
    });
    if (status === "captured") {
      store.transition("captured", { amount_captured: 1_000, amount_capturable: 0, void_at: null }, { amount: 1_000 });
    }
    new IdempotencyKeys(state.storage).begin("expired-key", "hash");
    state.storage.sql.exec("UPDATE idempotency SET created_at = ? WHERE key = 'expired-key'", Date.now() - 25 * HOUR);
    new IdempotencyKeys(state.storage).begin("fresh-key", "hash");
    // Armed for later, so it fires only when the test runs it (an alarm due now would fire on its own).
    await state.storage.setAlarm(Date.now() + 2 * HOUR);
  });
  return { stub, voidAt };
}

const inside = <T>(
  stub: DurableObjectStub<PaymentObject>,
  read: (store: PaymentStore, state: DurableObjectState) => T,
) => runInDurableObject(stub, async (_instance: PaymentObject, state) => read(new PaymentStore(state.storage), state));

describe("the payment object's alarm, in workerd", () => {
  it("drains the outbox, expires day-old idempotency keys, and sleeps when nothing is owed", async () => {
    const { id: merchantId } = await newMerchant();
    const { stub } = await seed("alarm-captured", merchantId, "captured");
    expect(await inside(stub, (store) => store.outbox(10).length)).toBe(4); // created, processing, authorized, captured

    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect(await inside(stub, (store) => store.outbox(10))).toEqual([]);
    expect(await inside(stub, (_store, state) => new IdempotencyKeys(state.storage).get("expired-key"))).toBeNull();
    expect(await inside(stub, (_store, state) => new IdempotencyKeys(state.storage).get("fresh-key"))).not.toBeNull();
    // A captured payment owes nothing more: no alarm may be left armed (it used to re-arm itself
    // for "now" from inside the handler and run back to back for ever).
    expect(await inside(stub, (_store, state) => state.storage.getAlarm())).toBeNull();
  });

  it("leaves an authorized payment's alarm set for the end of its authorization window", async () => {
    const { id: merchantId } = await newMerchant();
    const { stub, voidAt } = await seed("alarm-authorized", merchantId, "authorized");

    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect(await inside(stub, (store) => store.outbox(10))).toEqual([]);
    expect(await inside(stub, (_store, state) => state.storage.getAlarm())).toBe(voidAt);
    expect(await inside(stub, (store) => store.payment()?.status)).toBe("authorized");
  });
});
