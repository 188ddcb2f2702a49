import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentObject } from "../../durable-objects/payment/payment.object.js";
import { PaymentStore } from "../../durable-objects/payment/payment-store.js";
import { call, newMerchant } from "./support/api.js";

/**
 * DESIGN invariant 4a in workerd, with a vault that never answers (this tier has none: every call
 * is lost). The payment object must persist each operation before calling, never guess its
 * outcome, and never leave an Idempotency-Key stuck. The real vault's side is in test/e2e.
 */
const token = { type: "card", token: "tok_IntentTest0000000000000001" };

function stubFor(paymentId: string) {
  return env.PAYMENTS.get(env.PAYMENTS.idFromString(paymentId.replace(/^pay_/, "")));
}

const inside = <T>(paymentId: string, read: (store: PaymentStore, state: DurableObjectState) => T | Promise<T>) =>
  runInDurableObject(stubFor(paymentId), async (_instance: PaymentObject, state) =>
    read(new PaymentStore(state.storage), state),
  );

async function createLost(secretKey: string, key: string, amount = 1_000) {
  return call("POST", "/v1/payments", {
    key: secretKey,
    headers: { "Idempotency-Key": key },
    body: { amount, currency: "usd", payment_method: token, capture_method: "manual" },
  });
}

describe("a payment whose vault call is lost", () => {
  it("stays processing with its intent persisted and its alarm armed, answering 202, never guessing", async () => {
    const { secretKey } = await newMerchant();
    const created = await createLost(secretKey, "lost-1");
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({
      status: "processing",
      pending_operation: { type: "authorize", amount: 1_000, refund: null },
    });
    const id = created.json.id as string;
    const operation = await inside(id, (store) => store.pendingOperation());
    expect(operation).toMatchObject({ kind: "authorize", state: "pending", amount: 1_000, announced: true });
    expect(operation?.id).toBe(`op_${id.slice(4)}_1`);
    // Armed for the first inquiry (it may be running this instant: look again a moment later).
    let alarm = await inside(id, (_store, state) => state.storage.getAlarm());
    for (let i = 0; alarm === null && i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      alarm = await inside(id, (_store, state) => state.storage.getAlarm());
    }
    expect(alarm).toBeGreaterThanOrEqual(operation?.resolve_at ?? Number.POSITIVE_INFINITY);
  });

  it("answers a retry under the same key from the operation, never 409", async () => {
    const { secretKey } = await newMerchant();
    const first = await createLost(secretKey, "lost-2");
    const again = await createLost(secretKey, "lost-2");
    expect(again.status).toBe(202);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.json.id).toBe(first.json.id);
  });

  it("answers a key left in flight by an instance that died mid-call from its operation", async () => {
    const { secretKey } = await newMerchant();
    const first = await createLost(secretKey, "lost-3");
    const id = first.json.id as string;
    // As an eviction leaves it: the key still `in_flight`, tied to the operation, no request running.
    await inside(id, (_store, state) => {
      state.storage.sql.exec("UPDATE idempotency SET state = 'in_flight', reply = NULL WHERE key = 'lost-3'");
    });
    const retry = await createLost(secretKey, "lost-3");
    expect(retry.status).toBe(202);
    expect(retry.json).toMatchObject({ id, status: "processing" });
  });

  it("refuses a create key reused with other parameters even after the key's record expired", async () => {
    const { secretKey } = await newMerchant();
    const first = await createLost(secretKey, "lost-4");
    await inside(first.json.id as string, (_store, state) => {
      state.storage.sql.exec("DELETE FROM idempotency");
    });
    const other = await createLost(secretKey, "lost-4", 2_000);
    expect(other.status).toBe(400);
    expect(other.json.error).toMatchObject({ type: "idempotency_error", code: "idempotency_key_reused" });
    const same = await createLost(secretKey, "lost-4");
    expect(same.json.id).toBe(first.json.id);
  });

  it("inquires from its alarm, and backs off while the vault is unreachable", async () => {
    const { secretKey } = await newMerchant();
    const created = await createLost(secretKey, "lost-5");
    const id = created.json.id as string;
    await inside(id, async (store, state) => {
      const operation = store.pendingOperation();
      if (operation) store.saveOperation({ ...operation, resolve_at: Date.now() - 1 });
      await state.storage.setAlarm(Date.now() + 60_000); // run below, not on its own
    });
    // Its own alarm may get there first on a busy machine: either way one inquiry happens.
    await runDurableObjectAlarm(stubFor(id));
    let after = await inside(id, (store) => store.pendingOperation());
    for (let i = 0; (after?.inquiries ?? 0) < 1 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await inside(id, (store) => store.pendingOperation());
    }
    expect(after).toMatchObject({ state: "pending" });
    expect(after?.inquiries).toBeGreaterThanOrEqual(1);
    expect(after?.resolve_at ?? 0).toBeGreaterThan(Date.now());
    expect(await inside(id, (store) => store.payment()?.status)).toBe("processing");
  });
});
