import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IdempotencyKeys } from "./idempotency-keys.js";
import type { PaymentObject } from "./payment.object.js";

describe("the payment object's idempotency keys", () => {
  it("keeps idempotency records for 24 hours, then forgets them", async () => {
    const stub = env.PAYMENTS.getByName("store-idempotency");
    await runInDurableObject(stub, (_object: PaymentObject, state) => {
      const keys = new IdempotencyKeys(state.storage);
      keys.begin("k1", "hash-a");
      expect(keys.get("k1")).toMatchObject({ request_hash: "hash-a", state: "in_flight", operation_id: null });
      keys.finish("k1", { status: 200, body: { ok: true } });
      expect(keys.get("k1")).toMatchObject({ state: "done", reply: { status: 200, body: { ok: true } } });
      state.storage.sql.exec("UPDATE idempotency SET created_at = ? WHERE key = 'k1'", Date.now() - 25 * 3600 * 1000);
      keys.expire(24 * 3600 * 1000);
      expect(keys.get("k1")).toBeNull();
    });
  });

  it("ties a key to the operation its request started, and keeps it pending with the answer given", async () => {
    const stub = env.PAYMENTS.getByName("store-idempotency-pending");
    await runInDurableObject(stub, (_object: PaymentObject, state) => {
      const keys = new IdempotencyKeys(state.storage);
      keys.begin("k2", "hash-b");
      keys.link("k2", "op_abc12345_1");
      expect(keys.get("k2")).toMatchObject({ state: "in_flight", operation_id: "op_abc12345_1" });
      keys.pend("k2", { status: 202, body: { status: "processing" } }, "op_abc12345_1");
      expect(keys.get("k2")).toMatchObject({ state: "pending", reply: { status: 202 }, operation_id: "op_abc12345_1" });
    });
  });
});
