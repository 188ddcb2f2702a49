import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentEventMessage } from "../../common/payment-event-message.js";
import worker from "../../workers/index.js";
import { call, expectError, newMerchant, opsToken } from "./support/api.js";
import { sql } from "./support/database.js";
import { transition } from "./support/projection.js";

async function deadLetter(messages: PaymentEventMessage[]) {
  const batch = createMessageBatch<PaymentEventMessage>(
    "payment-events-dlq",
    messages.map((body, i) => ({ id: `dead-${Date.now()}-${i}`, timestamp: new Date(), attempts: 11, body })),
  );
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("dead letters", () => {
  it("are parked in R2, listed for ops, and replayed onto their queue into Postgres", async () => {
    const { id: merchant } = await newMerchant();
    const hex = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
    const pay = `pay_${hex}`;
    const parked = await deadLetter([transition(merchant, pay, 1, "processing", "created")]);
    expect(parked.explicitAcks).toHaveLength(1);

    const bearer = await opsToken();
    const listed = await call("GET", "/v1/ops/dead_letters/payment-events", { bearer });
    expect(listed.status).toBe(200);
    expect(listed.json.data.length).toBeGreaterThanOrEqual(1);

    const replay = await call("POST", "/v1/ops/dead_letters/payment-events/replay", { bearer });
    expect(replay.json).toMatchObject({ queue: "payment-events" });
    expect(replay.json.replayed).toBeGreaterThanOrEqual(1);
    const deadline = Date.now() + 15_000;
    let rows: unknown[] = [];
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      rows = await sql("select status from payments where id = $1", [pay]);
    }
    expect(rows).toEqual([{ status: "processing" }]);
    expect((await call("GET", "/v1/ops/dead_letters/payment-events", { bearer })).json.data).toEqual([]);
  });

  it("need the dead_letters scopes and a known queue", async () => {
    const bearer = await opsToken();
    expectError(
      await call("POST", "/v1/ops/dead_letters/payments/replay", { bearer }),
      404,
      "invalid_request_error",
      "queue",
    );
    expectError(await call("GET", "/v1/ops/dead_letters/payment-events"), 401, "authentication_error");
  });
});
