import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevJson, opsToken, request, startStack, tokenize } from "../support/running-stack.js";
import { findSecrets } from "../support/secret-scan.js";
import { query } from "../support/sql-client.js";
import { CVC_FIELD, stackWritings } from "../support/stack-scan.js";

/**
 * The payment service and its orchestrator end to end, through the stack `npm start` boots (its
 * own data directory and ports): the edge, the payment Durable Objects, the vault, the acquirer
 * simulator over ISO 8583 and the Postgres projection.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
/** Credentials created here; none may appear in a log or in Postgres in clear. */
const issued: string[] = [];

beforeAll(async () => {
  // Short timeouts so the tests see a reversal and an expired authorization within seconds
  // (production settings: 10 s and 7 days).
  stack = await startStack({ CARD_NETWORK_TIMEOUT_MS: "1500", AUTHORIZATION_WINDOW_SECONDS: "8" });
  dev = stack.dev;
  issued.push(dev.secret_key, dev.publishable_key, dev.ops_client_secret);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("payments end to end", () => {
  it("takes a card payment through the orchestrator: authorize, partial capture, two refunds, idempotent replay", async () => {
    const card = await tokenize(dev, dev.publishable_key, "4242424242424242");
    const create = (json: unknown, key: string) =>
      request(dev, "/v1/payments", { method: "POST", key: dev.secret_key, json, headers: { "Idempotency-Key": key } });
    const params = {
      amount: 2_000,
      currency: "usd",
      payment_method: { type: "card", token: card.json.id },
      capture_method: "manual",
    };
    const created = await create(params, "order-e2e-1");
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      status: "authorized",
      amount: 2_000,
      amount_capturable: 2_000,
      processor: "acquirer_a",
      payment_method: { type: "card", card: { brand: "visa", last4: "4242" } },
    });
    const id = created.json.id as string;

    const replay = await create(params, "order-e2e-1");
    expect(replay.json).toEqual(created.json);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    const changed = await create({ ...params, amount: 2_001 }, "order-e2e-1");
    expect(changed.status).toBe(400);
    expect(changed.json.error.type).toBe("idempotency_error");

    const capture = await request(dev, `/v1/payments/${id}/capture`, {
      method: "POST",
      key: dev.secret_key,
      json: { amount_to_capture: 1_500 },
    });
    expect(capture.json).toMatchObject({ status: "captured", amount_captured: 1_500, amount_capturable: 0 });
    for (const _ of [1, 2]) {
      const refund = await request(dev, `/v1/payments/${id}/refund`, {
        method: "POST",
        key: dev.secret_key,
        json: { amount: 500 },
      });
      expect(refund.status).toBe(200);
    }
    const over = await request(dev, `/v1/payments/${id}/refund`, {
      method: "POST",
      key: dev.secret_key,
      json: { amount: 501 },
    });
    expect(over.status).toBe(400);
    expect(over.json.error.param).toBe("amount");

    const read = await request(dev, `/v1/payments/${id}`, { key: dev.secret_key });
    expect(read.json).toMatchObject({
      status: "partially_refunded",
      amount: 2_000,
      amount_captured: 1_500,
      amount_refunded: 1_000,
    });
    expect(read.json.refunds).toHaveLength(2);
    const events = await request(dev, `/v1/payments/${id}/events`, { key: dev.secret_key });
    expect(events.json.data.map((event: { new_status: string }) => event.new_status)).toEqual([
      "created",
      "processing",
      "authorized",
      "captured",
      "partially_refunded",
      "partially_refunded",
    ]);

    const declined = await request(dev, "/v1/payments", {
      method: "POST",
      key: dev.secret_key,
      json: {
        ...params,
        payment_method: { type: "card", token: (await tokenize(dev, dev.publishable_key, "4000000000009995")).json.id },
      },
    });
    expect(declined.status).toBe(402);
    expect(declined.json.error).toMatchObject({ type: "card_error", decline_code: "insufficient_funds" });
    expect(declined.json.error.payment.payment_method.card).toMatchObject({ last4: "9995" });

    const stranger = await opsToken(dev).then((bearer) =>
      request(dev, "/v1/merchants", {
        method: "POST",
        bearer,
        json: { name: "Stranger", email: "s@shop.example", country: "US", default_currency: "usd" },
      }),
    );
    issued.push(stranger.json.keys.secret.secret, stranger.json.keys.publishable.secret);
    expect((await request(dev, `/v1/payments/${id}`, { key: stranger.json.keys.secret.secret })).status).toBe(404);
    const theft = await request(dev, `/v1/payments/${id}/refund`, {
      method: "POST",
      key: stranger.json.keys.secret.secret,
      json: {},
    });
    expect(theft.status).toBe(404);

    // The outbox reaches Postgres through the payment-events queue.
    const deadline = Date.now() + 20_000;
    let row: { status: string; version: number } | undefined;
    while (Date.now() < deadline) {
      [row] = await query<{ status: string; version: number }>(
        dev.database_url,
        "select status, version from payments where id = $1",
        [id],
      );
      if (row?.version === read.json.version) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(row).toEqual({ status: "partially_refunded", version: read.json.version });
    const [projectedCard] = await query<{ brand: string; last4: string }>(
      dev.database_url,
      "select card->>'brand' as brand, card->>'last4' as last4 from payments where id = $1",
      [id],
    );
    expect(projectedCard).toEqual({ brand: "visa", last4: "4242" });
    const projected = await query<{ n: string }>(
      dev.database_url,
      "select count(*) as n from payment_events where payment_id = $1",
      [id],
    );
    expect(projected[0]?.n).toBe("6");

    // One authorization attempt, the same in the object's answer and in the projection (issue 13).
    expect(read.json.attempts).toMatchObject([
      {
        status: "succeeded",
        processor: "acquirer_a",
        processor_reference: expect.stringMatching(/-visa$/),
        auth_code: expect.any(String),
        routing: { rule: "default", candidates: ["acquirer_a", "acquirer_b", "aggregator"], skipped: [] },
      },
    ]);
    const listed = await request(dev, "/v1/payments?limit=100", { key: dev.secret_key });
    const fromPostgres = listed.json.data.find((payment: { id: string }) => payment.id === id);
    expect(fromPostgres.attempts).toEqual(read.json.attempts);
    const declinedAttempts = declined.json.error.payment.attempts;
    expect(declinedAttempts).toMatchObject([
      { status: "declined", decline_code: "insufficient_funds", network_code: "51", completed: expect.any(Number) },
    ]);
  });

  it("speaks the Api-Version a request pins, through the orchestrator: the old customer_id in and out", async () => {
    /** A payment on the old version, with the old field name. */
    const payOld = async (pan: string) =>
      request(dev, "/v1/payments", {
        method: "POST",
        key: dev.secret_key,
        headers: { "Api-Version": "2026-11-01" },
        json: {
          amount: 700,
          currency: "usd",
          payment_method: { type: "card", token: (await tokenize(dev, dev.publishable_key, pan)).json.id },
          customer_id: "cus_old",
        },
      });
    const created = await payOld("4242424242424242");
    expect(created.status).toBe(200);
    expect(created.headers.get("Api-Version")).toBe("2026-11-01");
    expect(created.json).toMatchObject({ status: "captured", customer_id: "cus_old" });
    expect(created.json).not.toHaveProperty("customer");
    // The same payment on the account's default (the latest for a merchant made today).
    const latest = await request(dev, `/v1/payments/${created.json.id}`, { key: dev.secret_key });
    expect(latest.headers.get("Api-Version")).toBe("2026-11-25");
    expect(latest.json).toMatchObject({ customer: "cus_old" });
    expect(latest.json).not.toHaveProperty("customer_id");
    // A decline carries the failed payment in the error, in the caller's shape too.
    const declined = await payOld("4000000000009995");
    expect(declined.status).toBe(402);
    expect(declined.json.error.payment).toMatchObject({ object: "payment", customer_id: "cus_old" });
  });

  it("voids a manual-capture authorization nobody captured within the authorization window", async () => {
    const card = await tokenize(dev, dev.publishable_key, "4242424242424242");
    const created = await request(dev, "/v1/payments", {
      method: "POST",
      key: dev.secret_key,
      json: {
        amount: 1_234,
        currency: "usd",
        payment_method: { type: "card", token: card.json.id },
        capture_method: "manual",
      },
    });
    expect(created.json.status).toBe("authorized");
    const deadline = Date.now() + 30_000;
    let status = created.json.status as string;
    while (status !== "voided" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await request(dev, `/v1/payments/${created.json.id}`, { key: dev.secret_key })).json.status;
    }
    expect(status).toBe("voided");
    const events = await request(dev, `/v1/payments/${created.json.id}/events`, { key: dev.secret_key });
    expect(events.json.data.at(-1)).toMatchObject({ old_status: "authorized", new_status: "voided" });
  });

  it("creates exactly once when 50 requests with one Idempotency-Key arrive together", async () => {
    const card = await tokenize(dev, dev.publishable_key, "4242424242424242");
    const amount = 3_137;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(dev, "/v1/payments", {
          method: "POST",
          key: dev.secret_key,
          headers: { "Idempotency-Key": "burst-order-7" },
          json: {
            amount,
            currency: "usd",
            payment_method: { type: "card", token: card.json.id },
            capture_method: "manual",
          },
        }),
      ),
    );
    const ok = answers.filter((answer) => answer.status === 200);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);
    expect(new Set(ok.map((answer) => answer.json.id)).size).toBe(1);
    const ledger = (await (await fetch(`${dev.acquirer_admin}/ledger`)).json()) as { entries: { amount: number }[] };
    expect(ledger.entries.filter((entry) => entry.amount === amount)).toHaveLength(1);
  });

  it("holds a payment acquirer A never answered in processing, and tries acquirer B only once A's attempt is reversed", async () => {
    const card = await tokenize(dev, dev.publishable_key, "4242424242424242");
    const fault = (mode: string) =>
      fetch(`${dev.acquirer_admin}/faults`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ mode }),
      });
    await fault("never_answer");
    let created: Awaited<ReturnType<typeof api>>;
    try {
      created = await request(dev, "/v1/payments", {
        method: "POST",
        key: dev.secret_key,
        json: {
          amount: 2_468,
          currency: "usd",
          payment_method: { type: "card", token: card.json.id },
          capture_method: "manual",
        },
      });
    } finally {
      await fault("none");
    }
    expect(created.json.status).toBe("processing"); // never guessed
    // While A's outcome is unknown there is one attempt, and no other processor is asked.
    expect(created.json.attempts).toMatchObject([{ processor: "acquirer_a", status: "pending" }]);
    const deadline = Date.now() + 40_000;
    let status = "processing";
    while (status === "processing" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await request(dev, `/v1/payments/${created.json.id}`, { key: dev.secret_key })).json.status;
    }
    const read = await request(dev, `/v1/payments/${created.json.id}`, { key: dev.secret_key });
    expect(read.json).toMatchObject({
      status: "authorized",
      processor: "acquirer_b",
      attempts: [
        { processor: "acquirer_a", status: "failed", decline_code: "processor_timeout" },
        { processor: "acquirer_b", status: "succeeded" },
      ],
    });
    const [first, second] = read.json.attempts;
    expect(second.created).toBeGreaterThanOrEqual(first.completed); // B waited for A's reversal
    const books = async (admin: string) =>
      ((await (await fetch(`${admin}/ledger`)).json()) as { entries: { amount: number; status: string }[] }).entries
        .filter((entry) => entry.amount === 2_468)
        .map((entry) => entry.status);
    expect(await books(dev.acquirer_admin)).toEqual(["reversed"]);
    expect(await books(dev.acquirer_b_admin)).toEqual(["approved"]);
  });

  it("leaves no secret, card number or CVC in Postgres or the logs after all of it", async () => {
    const { dump, logs } = await stackWritings(dev, stack.dataDir);
    expect(dump).toContain(dev.merchant_id); // the dump is real
    for (const secret of issued) {
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(findSecrets(dump)).toEqual([]);
    expect(findSecrets(logs)).toEqual([]);
    for (const text of [logs, dump]) expect(text).not.toMatch(CVC_FIELD);
  });
});
