import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiCall,
  type DevJson,
  opsToken,
  request,
  startStack,
  tokenize,
  tokenizeCard,
} from "../support/running-stack.js";
import { query } from "../support/sql-client.js";

/**
 * Issue 11's checks, as a new user would try them with curl against `npm start`: faults injected
 * at the acquirer (its admin API) and at the vault (the stack's admin API), and every operation
 * must end definite, the same at the gateway, in Postgres and at the acquirer.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack({ CARD_NETWORK_TIMEOUT_MS: "1500" });
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquirer(path: string, method = "GET", json?: unknown) {
  const response = await fetch(`${dev.acquirer_admin}${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return (await response.json()) as Record<string, any>;
}

async function stackAdmin(path: string) {
  const response = await fetch(`${dev.stack_admin}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${dev.stack_admin_token}` },
  });
  expect(response.status).toBe(200);
}

async function authorized(number = "4242424242424242", amount = 1_500) {
  const token = await tokenizeCard(dev, number);
  const created = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount, currency: "usd", payment_method: { type: "card", token }, capture_method: "manual" },
    idempotencyKey: `faults-${crypto.randomUUID()}`,
  });
  expect(created.status).toBe(200);
  return created.json.id as string;
}

/** Polls the payment until `done` holds (or fails after `ms`). */
async function until(id: string, done: (payment: Record<string, any>) => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const payment = (await apiCall(dev, "GET", `/v1/payments/${id}`)).json;
    if (done(payment)) return payment;
    if (Date.now() > deadline) throw new Error(`payment never settled: ${JSON.stringify(payment)}`);
    await sleep(500);
  }
}

async function processorReference(id: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await query<{ processor_reference: string | null }>(
      dev.database_url,
      "select processor_reference from payments where id = $1",
      [id],
    );
    if (row?.processor_reference) return row.processor_reference;
    if (Date.now() > deadline) throw new Error(`payment ${id} never reached Postgres`);
    await sleep(250);
  }
}

async function ledgerEntry(id: string) {
  const reference = await processorReference(id);
  const rrn = reference.split(/[:|]/)[0] ?? reference;
  const { entries } = await acquirer(`/ledger?rrn=${encodeURIComponent(rrn.slice(0, 12))}`);
  return (entries as Record<string, any>[])[0];
}

describe("money under faults", () => {
  it("ends a capture whose 0220 answer is lost captured at the gateway and at the acquirer, never reversed", async () => {
    const id = await authorized();
    await acquirer("/faults", "PUT", { mode: "never_answer", messages: ["0220"] });
    try {
      const capture = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, {
        json: {},
        idempotencyKey: "lost-0220",
      });
      expect([200, 202]).toContain(capture.status);
      if (capture.status === 202) {
        expect(capture.json).toMatchObject({ status: "authorized", capture_status: "pending" });
        expect(capture.json.pending_operation).toMatchObject({ type: "capture", amount: 1_500 });
      }
      const settled = await until(id, (payment) => payment.status !== "authorized");
      expect(settled).toMatchObject({ status: "captured", amount_captured: 1_500, capture_status: "succeeded" });
      const again = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, { json: {}, idempotencyKey: "lost-0220" });
      expect(again.status).toBe(200);
      expect(again.json.status).toBe("captured");
    } finally {
      await acquirer("/faults", "PUT", { mode: "none" });
    }
    const entry = await ledgerEntry(id);
    expect(entry).toMatchObject({ status: "captured", capturedAmount: 1_500, reversals: 0 });
  }, 90_000);

  it("lets the same Idempotency-Key complete after the vault was paused 40 s during a capture: never 409 for ever", async () => {
    const id = await authorized();
    await stackAdmin("/services/vault/pause");
    const started = Date.now();
    let first: Awaited<ReturnType<typeof apiCall>>;
    try {
      first = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, { json: {}, idempotencyKey: "paused-vault" });
      expect(first.status).toBe(202);
      expect(first.json.pending_operation).toMatchObject({ type: "capture" });
      const during = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, {
        json: {},
        idempotencyKey: "paused-vault",
      });
      expect(during.status).toBe(202);
      expect(during.replayed).toBe(true);
      await sleep(Math.max(0, 40_000 - (Date.now() - started)));
    } finally {
      await stackAdmin("/services/vault/resume");
    }
    // Never 409, never for ever: the key answers 202 while the capture is resolved, then its
    // final answer. The vault, resumed, finds the capture past its deadline and never sends it
    // (or an inquiry fenced it first), so that answer is "nothing was done: retry with a new
    // key"; if the vault had sent it in time, it is the captured payment.
    const deadline = Date.now() + 90_000;
    let answer = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, { json: {}, idempotencyKey: "paused-vault" });
    while (answer.status === 202 && Date.now() < deadline) {
      await sleep(1_000);
      answer = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, { json: {}, idempotencyKey: "paused-vault" });
    }
    expect([200, 502]).toContain(answer.status);
    const replay = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, {
      json: {},
      idempotencyKey: "paused-vault",
    });
    expect(replay.status).toBe(answer.status);
    expect(replay.replayed).toBe(true);
    if (answer.status === 502) {
      expect(answer.json.error).toMatchObject({ type: "api_error", code: "processor_unavailable" });
      expect(answer.json.error.payment).toMatchObject({ status: "authorized", capture_status: "failed" });
      const fresh = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, {
        json: {},
        idempotencyKey: "paused-vault-2",
      });
      expect(fresh.status).toBe(200);
    }
    const settled = await until(id, (payment) => payment.status === "captured");
    expect(settled).toMatchObject({ amount_captured: 1_500, capture_status: "succeeded", pending_operation: null });
    const entry = await ledgerEntry(id);
    expect(entry).toMatchObject({ status: "captured", capturedAmount: 1_500 });
  }, 180_000);

  it("keeps Postgres equal to both objects when one refund key is used on two payments", async () => {
    const token = await tokenizeCard(dev, "4242424242424242");
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const created = await apiCall(dev, "POST", "/v1/payments", {
        json: { amount: 900 + n, currency: "usd", payment_method: { type: "card", token } },
        idempotencyKey: `two-payments-${n}-${Date.now()}`,
      });
      expect(created.json.status).toBe("captured");
      ids.push(created.json.id as string);
    }
    for (const id of ids) {
      const refund = await apiCall(dev, "POST", `/v1/payments/${id}/refund`, {
        json: { amount: 300 },
        idempotencyKey: "one-refund-key",
      });
      expect(refund.status).toBe(200);
    }
    for (const id of ids) {
      const object = (await apiCall(dev, "GET", `/v1/payments/${id}`)).json;
      const deadline = Date.now() + 30_000;
      let row: Record<string, any> | undefined;
      while (Date.now() < deadline) {
        [row] = await query(dev.database_url, "select status, version, amount_refunded from payments where id = $1", [
          id,
        ]);
        if (row && row.version === object.version) break;
        await sleep(250);
      }
      expect(row).toEqual({ status: object.status, version: object.version, amount_refunded: "300" });
      const refunds = await query(
        dev.database_url,
        "select id, status, amount, idempotency_key from refunds where payment_id = $1",
        [id],
      );
      expect(refunds).toEqual([
        { id: object.refunds[0].id, status: "succeeded", amount: "300", idempotency_key: "one-refund-key" },
      ]);
    }
    const dead = await request(dev, "/v1/ops/dead_letters/payment-events", { bearer: await opsToken(dev) });
    expect(dead.json.data ?? []).toEqual([]);
  }, 90_000);

  it("refuses a card no processor takes (RuPay) with a 402 card_error before any processor is asked", async () => {
    const token = await tokenizeCard(dev, "6522000000000006");
    const created = await apiCall(dev, "POST", "/v1/payments", {
      json: { amount: 1_000, currency: "usd", payment_method: { type: "card", token } },
      idempotencyKey: `rupay-${Date.now()}`,
    });
    expect(created.status).toBe(402);
    expect(created.json.error).toMatchObject({
      type: "card_error",
      code: "card_not_supported",
      decline_code: "card_not_supported",
    });
    expect(created.json.error.payment).toMatchObject({ status: "failed", decline_code: "card_not_supported" });
  });

  it("authorizes, captures and partly refunds an Amex card through the Stripe-style aggregator", async () => {
    // An Amex card has a four-digit CVC; no network link here carries Amex, the aggregator does.
    const tokenized = await fetch(`${dev.vault}/v1/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${dev.publishable_key}` },
      body: JSON.stringify({ card: { number: "378282246310005", exp_month: 12, exp_year: 2034, cvc: "1234" } }),
    });
    expect(tokenized.status).toBe(201);
    const token = ((await tokenized.json()) as { id: string }).id;
    const created = await apiCall(dev, "POST", "/v1/payments", {
      json: { amount: 4_321, currency: "usd", payment_method: { type: "card", token }, capture_method: "manual" },
      idempotencyKey: `amex-${Date.now()}`,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    expect(created.json).toMatchObject({
      status: "authorized",
      processor: "aggregator",
      payment_method: { card: { brand: "amex", last4: "0005" } },
      attempts: [{ processor: "aggregator", status: "succeeded", processor_reference: expect.stringMatching(/^pi_/) }],
    });
    const id = created.json.id as string;
    const captured = await apiCall(dev, "POST", `/v1/payments/${id}/capture`, {
      json: { amount_to_capture: 4_000 },
      idempotencyKey: `amex-capture-${id}`,
    });
    expect(captured.json).toMatchObject({ status: "captured", amount_captured: 4_000 });
    const refunded = await apiCall(dev, "POST", `/v1/payments/${id}/refund`, {
      json: { amount: 1_500 },
      idempotencyKey: `amex-refund-${id}`,
    });
    expect(refunded.json).toMatchObject({ status: "partially_refunded", amount_refunded: 1_500 });
    const intent = created.json.attempts[0].processor_reference as string;
    const books = (await (await fetch(`${dev.aggregator_admin}/ledger?payment_intent=${intent}`)).json()) as {
      entries: { capturedAmount: number; refundedAmount: number; card: { last4: string } | null }[];
    };
    expect(books.entries).toMatchObject([{ capturedAmount: 4_000, refundedAmount: 1_500, card: { last4: "0005" } }]);
  });

  it("resolves an authorization whose payment object was reset mid-call, by its alarm", async () => {
    await acquirer("/faults", "PUT", { mode: "slow", slow_ms: 1_000, messages: ["0100"] });
    const token = await tokenizeCard(dev, "5555555555554444");
    const body = { amount: 777, currency: "usd", payment_method: { type: "card", token }, capture_method: "manual" };
    try {
      const creating = apiCall(dev, "POST", "/v1/payments", { json: body, idempotencyKey: "reset-mid-call" });
      await sleep(400);
      // The object is named by (merchant, key), so the reset can find it while its create is in flight.
      const reset = await request(dev, "/v1/ops/chaos/payments/reset", {
        method: "POST",
        bearer: await opsToken(dev),
        json: { merchant_id: dev.merchant_id, idempotency_key: "reset-mid-call" },
      });
      expect(reset.status).toBe(200);
      await creating.catch(() => null); // the reset may cut the merchant's request
    } finally {
      await acquirer("/faults", "PUT", { mode: "none" });
    }
    const retry = await apiCall(dev, "POST", "/v1/payments", { json: body, idempotencyKey: "reset-mid-call" });
    expect([200, 202]).toContain(retry.status);
    const id = retry.json.id as string;
    const settled = await until(id, (payment) => payment.status !== "processing", 60_000);
    expect(settled).toMatchObject({ status: "authorized", amount_capturable: 777, pending_operation: null });
  }, 90_000);

  it("answers 503 database_unavailable, never a 500, at the edge and the vault while Postgres stops, and serves again once it is back", async () => {
    const token = await tokenizeCard(dev, "4242424242424242");
    const answers = new Map<string, number>();
    const wrong: string[] = [];
    let running = true;
    // Reads that hold a Postgres session for most of their time, so some are mid-query at the stop.
    const reads = ["/v1/payments?limit=20", "/v1/events?limit=20", "/v1/balance_transactions?limit=20", "/v1/merchant"];
    const loop = async (path: string | null) => {
      while (running) {
        const answer = path
          ? await apiCall(dev, "GET", path)
          : await apiCall(dev, "POST", "/v1/payments", {
              json: { amount: 1_000, currency: "usd", payment_method: { type: "card", token } },
              idempotencyKey: `outage-${crypto.randomUUID()}`,
            });
        const code = answer.json.error?.code as string | undefined;
        const seen = `${path ?? "create"} ${answer.status}${code ? ` ${code}` : ""}`;
        answers.set(seen, (answers.get(seen) ?? 0) + 1);
        // A 5xx must be ours and say what to do: 503 retry for the database, 502 for a processor
        // the vault could not reach (it journals in Postgres before the wire).
        const fine =
          answer.status < 500 ||
          (answer.status === 503 && code === "database_unavailable") ||
          (!path && code === "processor_unavailable");
        if (!fine) wrong.push(`${seen}: ${JSON.stringify(answer.json).slice(0, 300)}`);
      }
    };
    // And cards tokenized at the vault meanwhile (a 429 is its per-key limit, which this loop meets).
    const tokenizing = async () => {
      while (running) {
        const answer = await tokenize(dev, dev.publishable_key, "4242424242424242");
        const code = answer.json.error?.code as string | undefined;
        answers.set(`tokenize ${answer.status}`, (answers.get(`tokenize ${answer.status}`) ?? 0) + 1);
        if (answer.status >= 500 && !(answer.status === 503 && code === "database_unavailable")) {
          wrong.push(`tokenize ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`);
        }
        if (answer.status === 429) await sleep(50);
      }
    };
    const loops = [...[...reads, ...reads, ...reads, null, null].map(loop), tokenizing()];
    try {
      await sleep(1_500);
      await stackAdmin("/postgres/stop");
      await sleep(2_000);
    } finally {
      await stackAdmin("/postgres/start");
    }
    // Back: every read succeeds again within a few seconds (no session poisoned by the outage).
    const deadline = Date.now() + 30_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      const statuses = await Promise.all(reads.map(async (path) => (await apiCall(dev, "GET", path)).status));
      healthy = statuses.every((status) => status === 200);
      if (!healthy) await sleep(500);
    }
    running = false;
    await Promise.all(loops);
    expect(wrong).toEqual([]);
    expect(healthy).toBe(true);
    // It really was down for some of them.
    expect([...answers.keys()].some((seen) => seen.includes("503 database_unavailable"))).toBe(true);
  }, 90_000);
});
