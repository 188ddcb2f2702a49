import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevJson, opsToken, request, startStack, tokenize } from "../../support/running-stack.js";

/**
 * Issue 12, item 4, as an outsider tries it against `npm start`: one merchant's publishable key
 * (leaked, or a card-testing script) floods `POST /v1/tokens`. The vault throttles it (429 with
 * `Retry-After`, the vault's error shape), and another merchant's customer, who tokenized just
 * before, still pays with the CVC they typed. The CVC store is shrunk for the run (400 in all,
 * 200 per merchant) so the flood's successes overflow it: without a per-merchant quota the
 * victim's CVC, the oldest, would be the one evicted.
 *
 * 5,000 requests, not the 200,000: the limiter's answer is the same from the first
 * burst on, and 200,000 through one stack would take minutes of CI time (see the rate printed).
 */
const FLOOD = 5_000;
const CONCURRENCY = 50;

let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack({ VAULT_CVC_MAX_ENTRIES: "400", VAULT_CVC_MAX_PER_MERCHANT: "200" });
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function secondMerchant() {
  const created = await request(dev, "/v1/merchants", {
    method: "POST",
    bearer: await opsToken(dev),
    json: { name: "Victim Shop", email: "victim@shop.example", country: "US", default_currency: "usd" },
  });
  expect(created.status).toBe(201);
  return {
    secretKey: created.json.keys.secret.secret as string,
    publishableKey: created.json.keys.publishable.secret as string,
  };
}

async function flood(key: string) {
  const statuses = new Map<number, number>();
  let throttled: Response | undefined;
  let sent = 0;
  const body = JSON.stringify({ card: { number: "4242424242424242", exp_month: 12, exp_year: 2034, cvc: "123" } });
  const worker = async () => {
    while (sent < FLOOD) {
      sent++;
      const response = await fetch(`${dev.vault}/v1/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
        body,
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 429 && !throttled) throttled = response;
      else await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { statuses, throttled };
}

describe("a tokenization flood from one publishable key", () => {
  it("is throttled, and another merchant's pending CVC survives it and its token still authorizes", async () => {
    const victim = await secondMerchant();
    const pending = await tokenize(dev, victim.publishableKey, "4242424242424242");
    expect(pending.status).toBe(201);

    const started = Date.now();
    const { statuses, throttled } = await flood(dev.publishable_key);
    const seconds = (Date.now() - started) / 1000;
    console.info(
      `vault-abuse: ${FLOOD} tokenizations in ${seconds.toFixed(1)} s (${Math.round(FLOOD / seconds)}/s):`,
      Object.fromEntries(statuses),
    );
    expect(statuses.get(429) ?? 0).toBeGreaterThan(FLOOD / 2);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(200); // enough to overflow the flooder's quota
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(Number(throttled?.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    const answer = (await throttled?.json()) as { error: Record<string, unknown> };
    expect(answer.error).toMatchObject({
      type: "rate_limit_error",
      code: "rate_limit_error",
      request_id: expect.stringMatching(/^req_/),
    });

    const payment = await request(dev, "/v1/payments", {
      method: "POST",
      key: victim.secretKey,
      headers: { "Idempotency-Key": "victim-after-flood" },
      json: { amount: 1_500, currency: "usd", payment_method: { type: "card", token: pending.json.id } },
    });
    expect(payment.status, JSON.stringify(payment.json)).toBe(200);
    expect(payment.json.status).toMatch(/^(authorized|captured|succeeded)$/);
    const log = readFileSync(join(stack.dataDir, "logs", "vault.log"), "utf8");
    const sent = log.split("\n").filter((line) => line.includes("authorization card data"));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('"cvc_present":true');
  }, 300_000);
});
