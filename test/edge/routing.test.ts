import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../workers/app-env.js";
import { onError } from "../../workers/errors/error-handler.js";
import { database } from "../../workers/middleware/database/index.js";
import { requestId } from "../../workers/middleware/request-id/index.js";
import type { HealthSnapshot } from "../../workers/routing/health-snapshot.js";
import { RoutingConfig, RoutingDecision } from "../../workers/routing/routing.openapi.js";
import { routingRoutes } from "../../workers/routing/routing.routes.js";
import { BASE, call, expectError, liveSecretKey, newMerchant } from "./support/api.js";
import { audited } from "./support/audit.js";

const PLATFORM_DEFAULT = {
  rules: [],
  default: { type: "priority", processors: ["acquirer_a", "acquirer_b", "aggregator"] },
  disabled: [],
};

/** The first check: USD Visa to acquirer B. */
const visaToB = {
  rules: [
    {
      name: "usd-visa-to-b",
      conditions: { brands: ["visa"], currencies: ["usd"] },
      route: { type: "priority", processors: ["acquirer_b"] },
    },
  ],
  default: { type: "cheapest_first" },
  disabled: ["aggregator"],
};

const routing = (key: string) => call("GET", "/v1/routing", { key });
const put = (key: string, body: unknown) => call("PUT", "/v1/routing", { key, body });
const simulate = (key: string, body: unknown) => call("POST", "/v1/routing/simulate", { key, body });

describe("GET/PUT /v1/routing", () => {
  it("shows the platform default at version 0 until rules are stored", async () => {
    const { secretKey } = await newMerchant();
    const response = await routing(secretKey);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      object: "routing_config",
      livemode: false,
      version: 0,
      updated: null,
      ...PLATFORM_DEFAULT,
    });
    RoutingConfig.parse(response.json);
  });

  it("stores the rules, bumps the version, and reads them back as stored", async () => {
    const { secretKey } = await newMerchant();
    const first = await put(secretKey, visaToB);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      object: "routing_config",
      livemode: false,
      version: 1,
      disabled: ["aggregator"],
    });
    expect(first.json.rules[0].conditions).toEqual({ brands: ["visa"], currencies: ["USD"] });
    expect(first.json.updated).toBeTypeOf("number");
    RoutingConfig.parse(first.json);
    expect((await routing(secretKey)).json).toEqual(first.json);

    const second = await put(secretKey, { expected_version: 1 });
    expect(second.json).toMatchObject({ version: 2, ...PLATFORM_DEFAULT });
    expect((await routing(secretKey)).json).toEqual(second.json);
  });

  it("refuses a change on top of a version that is no longer current with 409, and writes nothing", async () => {
    const { secretKey } = await newMerchant();
    expect((await put(secretKey, { ...visaToB, expected_version: 0 })).json.version).toBe(1);
    const before = (await routing(secretKey)).json;
    for (const expected_version of [0, 2]) {
      const stale = await put(secretKey, { expected_version });
      expectError(stale, 409, "invalid_request_error", "expected_version");
      expect(stale.json.error.code).toBe("version_conflict");
      expect(stale.json.error.message).toContain("version 1");
    }
    expect((await routing(secretKey)).json).toEqual(before);
    expect((await put(secretKey, { expected_version: 1 })).json.version).toBe(2);
  });

  it("lets exactly one of two concurrent changes on the same version through", async () => {
    const { secretKey } = await newMerchant();
    const answers = await Promise.all([
      put(secretKey, { ...visaToB, expected_version: 0 }),
      put(secretKey, { expected_version: 0 }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.status === 200)!;
    expect((await routing(secretKey)).json).toEqual(winner.json);
  });

  it.each<[string, unknown, string, string]>([
    [
      "a processor not in the registry",
      { rules: [{ ...visaToB.rules[0], route: { type: "priority", processors: ["acquirer_b", "acquirer_c"] } }] },
      "rules[0][route][processors][1]",
      "parameter_invalid",
    ],
    [
      "a weight that is not a positive integer",
      { default: { type: "volume_split", splits: [{ processor: "acquirer_a", weight: -3 }] } },
      "default[splits][0][weight]",
      "parameter_invalid",
    ],
    [
      "amount bounds the wrong way round",
      { rules: [{ ...visaToB.rules[0], conditions: { currencies: ["usd"], amount_gte: 9, amount_lte: 1 } }] },
      "rules[0][conditions][amount_lte]",
      "parameter_invalid",
    ],
    ["two rules of one name", { rules: [visaToB.rules[0], visaToB.rules[0]] }, "rules[1][name]", "parameter_invalid"],
    ["an unknown field", { rules: [], fallback: "aggregator" }, "fallback", "parameter_unknown"],
  ])("refuses %s with 400 naming the param, and stores nothing", async (_case, body, param, code) => {
    const { secretKey } = await newMerchant();
    const response = await put(secretKey, body);
    expectError(response, 400, "invalid_request_error", param);
    expect(response.json.error.code).toBe(code);
    expect((await routing(secretKey)).json.version).toBe(0);
  });

  it("keeps each mode's rules apart, and another merchant's", async () => {
    const { id, secretKey } = await newMerchant();
    const live = await liveSecretKey(id);
    expect((await put(secretKey, visaToB)).status).toBe(200);
    expect((await routing(live.secret)).json).toMatchObject({ livemode: true, version: 0, ...PLATFORM_DEFAULT });
    expect((await put(live.secret, { disabled: ["acquirer_b"] })).json).toMatchObject({ livemode: true, version: 1 });
    expect((await routing(secretKey)).json).toMatchObject({ livemode: false, version: 1, disabled: ["aggregator"] });
    const other = await newMerchant();
    expect((await routing(other.secretKey)).json).toMatchObject({ version: 0, ...PLATFORM_DEFAULT });
  });

  it("audits every change with the old and new version, and no refused one", async () => {
    const { id, secretKey, secretKeyId } = await newMerchant();
    expect((await put(secretKey, visaToB)).status).toBe(200);
    expect((await put(secretKey, { expected_version: 0 })).status).toBe(409);
    expect((await put(secretKey, { expected_version: 1 })).status).toBe(200);
    const entries = await audited((entry) => entry.action === "routing.updated" && entry.target_id === id, 2);
    expect(entries.map((entry) => entry.details).sort((a, b) => Number(a.version) - Number(b.version))).toEqual([
      { livemode: false, previous_version: 0, version: 1, rules: 1 },
      { livemode: false, previous_version: 1, version: 2, rules: 0 },
    ]);
    expect(entries[0]!.actor).toEqual({ kind: "api_key", id: secretKeyId, merchant_id: id });
  });
});

describe("POST /v1/routing/simulate", () => {
  it("explains the decision a payment would get under the stored rules", async () => {
    const { secretKey } = await newMerchant();
    await put(secretKey, visaToB);
    const visa = await simulate(secretKey, { amount: 5_000, currency: "usd", brand: "visa", issuer_country: "us" });
    expect(visa.status).toBe(200);
    RoutingDecision.parse(visa.json);
    expect(visa.json).toMatchObject({
      object: "routing_decision",
      livemode: false,
      config_version: 1,
      rule: "usd-visa-to-b",
      candidates: ["acquirer_b", "acquirer_a"],
      skipped: [{ processor: "aggregator", reason: "disabled_by_merchant" }],
    });
    expect(visa.json.explanation).toContain('Rule "usd-visa-to-b" matched.');
    expect(visa.json.explanation).toContain("aggregator (disabled_by_merchant)");

    // No rule for Mastercard: the default, cheapest first (Acquirer A at 2.00% + 20 beats B at 2.10% + 25).
    const mastercard = await simulate(secretKey, {
      amount: 5_000,
      currency: "usd",
      brand: "mastercard",
      issuer_country: "US",
    });
    expect(mastercard.json).toMatchObject({ rule: "default", candidates: ["acquirer_a", "acquirer_b"] });
    expect(mastercard.json.explanation).toContain("acquirer_a 120, acquirer_b 130");

    // Amex: only the aggregator takes it, and the merchant disabled it.
    const amex = await simulate(secretKey, { amount: 5_000, currency: "usd", brand: "amex" });
    expect(amex.json.candidates).toEqual([]);
    expect(amex.json.explanation).toContain("No processor can take this payment.");
  });

  it("replays a volume split from its draw, and draws at random when none is given", async () => {
    const { secretKey } = await newMerchant();
    const split = [
      { processor: "acquirer_a", weight: 3 },
      { processor: "acquirer_b", weight: 1 },
    ];
    await put(secretKey, { default: { type: "volume_split", splits: split } });
    const payment = { amount: 100, currency: "eur", brand: "visa" };
    expect((await simulate(secretKey, { ...payment, draw: 0.74 })).json.candidates[0]).toBe("acquirer_a");
    expect((await simulate(secretKey, { ...payment, draw: 0.75 })).json.candidates[0]).toBe("acquirer_b");
    const random = await simulate(secretKey, payment);
    expect(random.json.draw).toBeGreaterThanOrEqual(0);
    expect(random.json.draw).toBeLessThan(1);
    const replayed = await simulate(secretKey, {
      ...payment,
      draw: random.json.draw,
      hedge_draw: random.json.hedge_draw,
    });
    expect(replayed.json).toEqual(random.json);
  });

  it("decides under the platform default for a merchant with no rules", async () => {
    const { secretKey } = await newMerchant();
    const response = await simulate(secretKey, { amount: 100, currency: "gbp", brand: "visa" });
    expect(response.json).toMatchObject({
      config_version: 0,
      rule: "default",
      candidates: ["acquirer_a", "aggregator"],
      skipped: [{ processor: "acquirer_b", reason: "currency_not_supported" }],
    });
  });

  it.each<[string, unknown, string]>([
    ["a brand it does not know", { amount: 100, currency: "usd", brand: "maestro" }, "brand"],
    ["a draw of 1", { amount: 100, currency: "usd", brand: "visa", draw: 1 }, "draw"],
    ["no amount", { currency: "usd", brand: "visa" }, "amount"],
  ])("refuses %s, naming the param", async (_case, body, param) => {
    const { secretKey } = await newMerchant();
    expectError(await simulate(secretKey, body), 400, "invalid_request_error", param);
  });

  it("reads health from the provider it is given, for the caller's mode", async () => {
    const modes: boolean[] = [];
    const health = async (_c: unknown, livemode: boolean): Promise<HealthSnapshot> => {
      modes.push(livemode);
      return { acquirer_a: { state: "open", score: 0 } };
    };
    const app = new Hono<AppEnv>()
      .use(requestId())
      .use(database())
      .route("/v1/routing", routingRoutes({ health }))
      .onError(onError);
    const { secretKey } = await newMerchant();
    const ctx = createExecutionContext();
    const response = await app.request(
      `${BASE}/v1/routing/simulate`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${secretKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ amount: 100, currency: "usd", brand: "visa" }),
      },
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const decision = (await response.json()) as { candidates: string[]; skipped: unknown[] };
    expect(response.status).toBe(200);
    expect(decision.candidates).toEqual(["acquirer_b", "aggregator"]);
    expect(decision.skipped).toEqual([{ processor: "acquirer_a", reason: "circuit_open" }]);
    expect(modes).toEqual([false]);
  });
});
