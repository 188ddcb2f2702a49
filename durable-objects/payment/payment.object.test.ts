import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CreatePaymentInput, PaymentObject } from "./payment.object.js";

describe("PaymentObject", () => {
  it("creates its SQLite tables before the first call and holds no payment until one is created", async () => {
    const stub = env.PAYMENTS.getByName("pay_empty");
    expect(await stub.retrieve({ merchantId: "acct_anyone", livemode: false })).toBeNull();
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

  it("is there only for its merchant in its mode, and never replays its create to the other mode", async () => {
    const stub = env.PAYMENTS.getByName("acct_modes/one-name");
    // Called on the instance: its replies' bodies are `unknown`, which RPC types cannot carry.
    const object = <T>(run: (instance: PaymentObject) => Promise<T>) => runInDurableObject(stub, run);
    const input: CreatePaymentInput = {
      requestId: "req_first",
      paymentId: `pay_${stub.id.toString()}`,
      merchantId: "acct_modes",
      livemode: false,
      idempotencyKey: "one-name",
      requestHash: "same-body",
      upi: null,
      amount: 1_000,
      currency: "USD",
      captureMethod: "manual",
      token: "tok_OneName0000000000000001",
      description: null,
      metadata: {},
      customerId: null,
      routing: null,
    };
    expect((await object((o) => o.create(input))).status).toBe(202); // no vault in this tier: processing
    const test = { merchantId: "acct_modes", livemode: false };
    const live = { merchantId: "acct_modes", livemode: true };
    expect(await object((o) => o.retrieve(test))).toMatchObject({ id: input.paymentId, livemode: false });
    expect(await object((o) => o.retrieve(live))).toBeNull();
    expect(await object((o) => o.events(live))).toBeNull();
    const cancel = await object((o) =>
      o.cancel({ ...live, requestId: "req_cancel", idempotencyKey: null, requestHash: "h" }),
    );
    expect(cancel.status).toBe(404);
    // The same name reached in the other mode (a naming mistake) gets no payment, not a replay.
    const crossed = await object((o) => o.create({ ...input, ...live, requestId: "req_crossed" }));
    expect(crossed.status).toBe(400);
    expect(JSON.stringify(crossed.body)).not.toContain(input.paymentId);
  });
});
