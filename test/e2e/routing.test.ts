import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevJson, opsToken, request, startStack, tokenize } from "../support/running-stack.js";

/**
 * Issue 13 through `npm start`, as a new user would try it: the merchant's routing rules choose
 * the processor and say why, a refused acquirer fails over to the next, cost and success rate
 * move traffic, and the aggregator's declines keep their codes. Each scenario has its own
 * merchant (rules are per merchant); processor health is shared by all, so the success-rate
 * scenario runs first, while both acquirers start from the same prior.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack();
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

interface Shop {
  secret: string;
  publishable: string;
}

/** A merchant of its own (US, so a US card is domestic), with its keys. */
async function newShop(): Promise<Shop> {
  const created = await request(dev, "/v1/merchants", {
    method: "POST",
    bearer: await opsToken(dev),
    json: { name: "Routing Shop", email: "routing@shop.example", country: "US", default_currency: "usd" },
  });
  expect(created.status).toBe(201);
  return { secret: created.json.keys.secret.secret, publishable: created.json.keys.publishable.secret };
}

async function putRouting(shop: Shop, config: unknown) {
  const answer = await request(dev, "/v1/routing", { method: "PUT", key: shop.secret, json: config });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json;
}

async function pay(shop: Shop, number: string, amount: number, captureMethod = "manual") {
  const token = await tokenize(dev, shop.publishable, number);
  expect(token.status, JSON.stringify(token.json)).toBe(201);
  return request(dev, "/v1/payments", {
    method: "POST",
    key: shop.secret,
    headers: { "Idempotency-Key": randomUUID() },
    json: {
      amount,
      currency: "usd",
      payment_method: { type: "card", token: token.json.id },
      capture_method: captureMethod,
    },
  });
}

const faults = (admin: string, body: unknown) =>
  fetch(`${admin}/faults`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("routing and failover through npm start", () => {
  it("moves traffic to acquirer B while acquirer A approves only half, by success rate", async () => {
    const shop = await newShop();
    await putRouting(shop, { default: { type: "success_rate", processors: ["acquirer_a", "acquirer_b"], hedge: 0 } });
    // Half of A's authorizations are declined with 91 (issuer unavailable): a soft decline, so
    // each such payment still succeeds on B, and A's score falls with every one.
    const set = await faults(dev.acquirer_admin, { mode: "decline_share", share: 0.5, code: "91", messages: ["0100"] });
    expect(set.status).toBe(200);
    const first: string[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        const payment = await pay(shop, "4242424242424242", 5_000 + i);
        expect(payment.status, JSON.stringify(payment.json)).toBe(200);
        expect(payment.json.status).toBe("authorized");
        first.push(payment.json.attempts[0].processor as string);
      }
    } finally {
      await faults(dev.acquirer_admin, { mode: "none" });
    }
    // Within the health window the router learns: the last ten go to B first.
    expect(first.slice(-10)).toEqual(Array(10).fill("acquirer_b"));
    expect(first.filter((processor) => processor === "acquirer_a").length).toBeGreaterThan(0);
  });

  it("sends USD Visa to acquirer B by the merchant's rule, and the payment says which rule chose it", async () => {
    const shop = await newShop();
    await putRouting(shop, {
      rules: [
        {
          name: "usd-visa-to-b",
          conditions: { brands: ["visa"], currencies: ["USD"] },
          route: { type: "priority", processors: ["acquirer_b"] },
        },
      ],
    });
    const visa = await pay(shop, "4242424242424242", 1_234);
    expect(visa.status, JSON.stringify(visa.json)).toBe(200);
    expect(visa.json).toMatchObject({
      status: "authorized",
      processor: "acquirer_b",
      attempts: [{ processor: "acquirer_b", status: "succeeded", routing: { rule: "usd-visa-to-b" } }],
    });
    expect(visa.json.attempts[0].routing.candidates[0]).toBe("acquirer_b");
    const books = (await (await fetch(`${dev.acquirer_b_admin}/ledger`)).json()) as { entries: { amount: number }[] };
    expect(books.entries.filter((entry) => entry.amount === 1_234)).toHaveLength(1);
    // A Mastercard matches no rule: the default sends it to acquirer A first.
    const mastercard = await pay(shop, "5555555555554444", 1_235);
    expect(mastercard.json).toMatchObject({ processor: "acquirer_a", attempts: [{ routing: { rule: "default" } }] });

    const simulated = await request(dev, "/v1/routing/simulate", {
      method: "POST",
      key: shop.secret,
      json: { amount: 1_000, currency: "usd", brand: "amex", issuer_country: "US" },
    });
    expect(simulated.status).toBe(200);
    expect(simulated.json).toMatchObject({ rule: "default", candidates: ["aggregator"] });
    expect(simulated.json.skipped).toEqual(
      expect.arrayContaining([{ processor: "acquirer_a", reason: "brand_not_supported" }]),
    );
    expect(typeof simulated.json.explanation).toBe("string");
  });

  it("authorizes a Mastercard payment on acquirer B, in two attempts, while acquirer A refuses connections", async () => {
    const shop = await newShop();
    expect((await faults(dev.acquirer_admin, { mode: "refuse" })).status).toBe(200);
    let payment: Awaited<ReturnType<typeof pay>>;
    try {
      payment = await pay(shop, "5555555555554444", 2_345);
    } finally {
      await faults(dev.acquirer_admin, { mode: "none" });
    }
    expect(payment.status, JSON.stringify(payment.json)).toBe(200);
    expect(payment.json).toMatchObject({
      status: "authorized",
      processor: "acquirer_b",
      attempts: [
        { processor: "acquirer_a", status: "failed", decline_code: "processor_unavailable" },
        { processor: "acquirer_b", status: "succeeded" },
      ],
    });
    const events = await request(dev, `/v1/payments/${payment.json.id}/events`, { key: shop.secret });
    expect(events.json.data.map((event: { event_type: string }) => event.event_type)).toEqual(
      expect.arrayContaining(["payment.attempt_failed", "payment.attempt_started", "payment.authorized"]),
    );
  });

  it("sends each payment to the cheaper acquirer by the fee tables, which depends on the amount", async () => {
    const shop = await newShop();
    await putRouting(shop, { default: { type: "cheapest_first", processors: ["acquirer_a", "acquirer_b"] } });
    // Domestic Visa: A costs 2.00% + 20, B 1.80% + 25 (common/processor-registry.ts).
    const small = await pay(shop, "4242424242424242", 100); // A 22, B 27
    const large = await pay(shop, "4242424242424242", 100_000); // A 2,020, B 1,825
    expect(small.json).toMatchObject({ processor: "acquirer_a" });
    expect(large.json).toMatchObject({ processor: "acquirer_b" });
  });

  it("keeps the aggregator's decline code on a declined Amex-range payment", async () => {
    const shop = await newShop();
    await putRouting(shop, { default: { type: "priority", processors: ["aggregator"] }, max_attempts: 1 });
    const declined = await pay(shop, "4000000000009995", 3_456);
    expect(declined.status).toBe(402);
    expect(declined.json.error).toMatchObject({ type: "card_error", decline_code: "insufficient_funds" });
    expect(declined.json.error.payment.attempts).toMatchObject([
      { processor: "aggregator", status: "declined", network_code: "insufficient_funds" },
    ]);
  });
});
