import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentObject } from "./payment.object.js";

describe("PaymentObject", () => {
  it("creates its SQLite tables before the first call and holds no payment until one is created", async () => {
    const stub = env.PAYMENTS.getByName("pay_empty");
    expect(await stub.retrieve("acct_anyone")).toBeNull();
    const tables = await runInDurableObject(stub, (_instance: PaymentObject, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .toArray()
        .map((row) => row.name),
    );
    expect(tables).toEqual(
      expect.arrayContaining(["payment_state", "transition_log", "outbox_messages", "idempotency"]),
    );
  });
});
