import { describe, expect, it } from "vitest";
import {
  CARD_PROCESSOR_IDS,
  PROCESSOR_REGISTRY,
  type ProcessorId,
  processorFee,
} from "../../common/processor-registry.js";
import type {
  HealthSnapshot as ObjectSnapshot,
  ProcessorHealthSnapshot,
} from "../../durable-objects/processor-health/processor-health.types.js";
import { ALL_HEALTHY, type HealthSnapshot } from "./health-snapshot.js";
import { type Conditions, PLATFORM_DEFAULT, type Route, type RoutingConfig } from "./routing-config.js";
import { routingDraws } from "./routing-draws.js";
import { decide } from "./routing-engine.js";
import type { RoutingContext, RoutingPayment } from "./routing-payment.js";

const payment = (overrides: Partial<RoutingPayment> = {}): RoutingPayment => ({
  method: "card",
  brand: "visa",
  amount: 10_000,
  currency: "USD",
  issuerCountry: "US",
  merchantCountry: "US",
  metadata: {},
  ...overrides,
});

const NOW = Date.parse("2026-12-01T12:00:00Z");

const context = (overrides: Partial<RoutingContext> = {}): RoutingContext => ({
  health: ALL_HEALTHY,
  now: NOW,
  draw: 0,
  hedgeDraw: 0.99,
  ...overrides,
});

const config = (overrides: Partial<RoutingConfig> = {}): RoutingConfig => ({ ...PLATFORM_DEFAULT, ...overrides });

/** One rule sending what matches to the aggregator alone, where the default would try acquirer A first. */
const ruleOf = (conditions: Conditions): RoutingConfig =>
  config({ rules: [{ name: "to-aggregator", conditions, route: { type: "priority", processors: ["aggregator"] } }] });

const open = (...processors: ProcessorId[]): HealthSnapshot =>
  Object.fromEntries(processors.map((processor) => [processor, { state: "open", score: 0 }]));

describe("routing engine: filtering before any rule", () => {
  it.each<[string, Partial<RoutingPayment>, Partial<RoutingConfig>, HealthSnapshot, ProcessorId[], object[]]>([
    [
      "an Amex card reaches only the aggregator",
      { brand: "amex" },
      {},
      ALL_HEALTHY,
      ["aggregator"],
      [
        { processor: "acquirer_a", reason: "brand_not_supported" },
        { processor: "acquirer_b", reason: "brand_not_supported" },
      ],
    ],
    [
      "a UPI payment in rupees reaches the UPI switch alone, and lists no card processor as skipped",
      { method: "upi", brand: null, issuerCountry: null, currency: "INR", merchantCountry: "IN" },
      {},
      ALL_HEALTHY,
      ["upi_switch"],
      [],
    ],
    [
      "a UPI payment in another currency reaches no one",
      { method: "upi", brand: null, issuerCountry: null, currency: "USD" },
      {},
      ALL_HEALTHY,
      [],
      [{ processor: "upi_switch", reason: "currency_not_supported" }],
    ],
    [
      "a GBP payment skips acquirer B",
      { currency: "GBP" },
      {},
      ALL_HEALTHY,
      ["acquirer_a", "aggregator"],
      [{ processor: "acquirer_b", reason: "currency_not_supported" }],
    ],
    [
      "a JPY payment skips both acquirers",
      { currency: "JPY", amount: 1_000 },
      {},
      ALL_HEALTHY,
      ["aggregator"],
      [
        { processor: "acquirer_a", reason: "currency_not_supported" },
        { processor: "acquirer_b", reason: "currency_not_supported" },
      ],
    ],
    [
      "a card of no known brand reaches nobody",
      { brand: null },
      {},
      ALL_HEALTHY,
      [],
      CARD_PROCESSOR_IDS.map((processor) => ({ processor, reason: "brand_not_supported" })),
    ],
    [
      "a RuPay card, which no processor here carries, reaches nobody",
      { brand: "rupay", currency: "INR" },
      {},
      ALL_HEALTHY,
      [],
      CARD_PROCESSOR_IDS.map((processor) => ({ processor, reason: "brand_not_supported" })),
    ],
    [
      "a processor the merchant disabled",
      {},
      { disabled: ["acquirer_a"] },
      ALL_HEALTHY,
      ["acquirer_b", "aggregator"],
      [{ processor: "acquirer_a", reason: "disabled_by_merchant" }],
    ],
    [
      "a processor whose circuit is open",
      {},
      {},
      open("acquirer_b"),
      ["acquirer_a", "aggregator"],
      [{ processor: "acquirer_b", reason: "circuit_open" }],
    ],
    [
      "a half-open circuit, which lets probes through",
      {},
      {},
      { acquirer_a: { state: "half_open", score: 0.5 } },
      ["acquirer_a", "acquirer_b", "aggregator"],
      [],
    ],
    [
      "an open circuit not yet due for a probe",
      {},
      {},
      { acquirer_a: { state: "open", score: 0.2, retryAt: NOW + 1 } },
      ["acquirer_b", "aggregator"],
      [{ processor: "acquirer_a", reason: "circuit_open" }],
    ],
    [
      "none: an open circuit past its retry time may take a probe",
      {},
      {},
      { acquirer_a: { state: "open", score: 0.2, retryAt: NOW } },
      ["acquirer_a", "acquirer_b", "aggregator"],
      [],
    ],
    [
      "what it cannot take before what the merchant disabled",
      { brand: "amex" },
      { disabled: ["acquirer_a"] },
      ALL_HEALTHY,
      ["aggregator"],
      [
        { processor: "acquirer_a", reason: "brand_not_supported" },
        { processor: "acquirer_b", reason: "brand_not_supported" },
      ],
    ],
  ])("skips with a reason: %s", (_case, facts, overrides, health, candidates, skipped) => {
    const decision = decide(config(overrides), payment(facts), context({ health }));
    expect(decision.candidates).toEqual(candidates);
    expect(decision.skipped).toEqual(skipped);
    for (const { processor, reason } of decision.skipped)
      expect(decision.explanation).toContain(`${processor} (${reason})`);
  });

  it("tries processors health demoted after every other, whatever the route", () => {
    const health: HealthSnapshot = { acquirer_a: { state: "closed", score: 0.99, demoted: true } };
    for (const route of [
      { type: "priority", processors: ["acquirer_a", "acquirer_b"] },
      { type: "success_rate" },
      { type: "cheapest_first" },
    ] satisfies Route[]) {
      const decision = decide(config({ default: route }), payment({ brand: "mastercard" }), context({ health }));
      expect(decision.candidates.at(-1)).toBe("acquirer_a");
      expect(decision.candidates).toHaveLength(3);
      expect(decision.explanation).toContain("Demoted by health, tried last: acquirer_a.");
    }
  });

  it("takes the processor-health objects' snapshots as they are", () => {
    const entry = (processor: ProcessorId, state: "closed" | "open", score: number): ProcessorHealthSnapshot => ({
      processor,
      state,
      score,
      authorizationRate: score,
      technicalRate: 0,
      samples: 40,
      demoted: false,
      ...(state === "open" ? { openedAt: NOW - 5_000, retryAt: NOW + 25_000 } : {}),
    });
    const snapshot: ObjectSnapshot = {
      acquirer_a: entry("acquirer_a", "open", 0.1),
      acquirer_b: entry("acquirer_b", "closed", 0.7),
      aggregator: entry("aggregator", "closed", 0.9),
      upi_switch: entry("upi_switch", "closed", 1),
      paypal: entry("paypal", "closed", 1),
    };
    const decision = decide(config({ default: { type: "success_rate" } }), payment(), context({ health: snapshot }));
    expect(decision.candidates).toEqual(["aggregator", "acquirer_b"]);
    expect(decision.skipped).toEqual([{ processor: "acquirer_a", reason: "circuit_open" }]);
  });

  it("says so when no processor can take the payment", () => {
    expect(decide(config(), payment({ brand: null }), context()).explanation).toContain("No processor can take");
  });

  // Every route kind, naming every processor, against each processor disabled or with its circuit open.
  const everyRoute: Route[] = [
    { type: "priority", processors: ["acquirer_a", "acquirer_b", "aggregator"] },
    {
      type: "volume_split",
      splits: [
        { processor: "acquirer_a", weight: 1 },
        { processor: "acquirer_b", weight: 1 },
        { processor: "aggregator", weight: 1 },
      ],
    },
    { type: "cheapest_first" },
    { type: "success_rate", hedge: 0.5 },
  ];
  const excluded = CARD_PROCESSOR_IDS.flatMap((processor) => [
    { processor, disabled: [processor], health: ALL_HEALTHY },
    { processor, disabled: [], health: open(processor) },
  ]);
  it.each(
    everyRoute.flatMap((route) =>
      excluded.flatMap((exclusion) => [0, 0.34, 0.67, 0.99].map((draw) => ({ route, ...exclusion, draw }))),
    ),
  )(
    "never names $processor when excluded, whatever the route ($route.type, draw $draw)",
    ({ route, processor, disabled, health, draw }) => {
      const ruled = config({ disabled, rules: [{ name: "all", conditions: { method: "card" }, route }] });
      for (const rules of [ruled, config({ disabled, default: route })]) {
        const decision = decide(rules, payment(), context({ health, draw, hedgeDraw: draw }));
        expect(decision.candidates).not.toContain(processor);
        expect(decision.candidates).toHaveLength(CARD_PROCESSOR_IDS.length - 1);
      }
    },
  );
});

describe("routing engine: conditions (AND within a rule)", () => {
  it.each<[string, Conditions, Partial<RoutingPayment>, boolean]>([
    ["method card", { method: "card" }, {}, true],
    ["brand listed", { brands: ["mastercard", "visa"] }, {}, true],
    ["brand not listed", { brands: ["mastercard"] }, {}, false],
    ["brand unknown", { brands: ["mastercard"] }, { brand: null }, false],
    ["issuer country listed", { issuer_countries: ["GB", "FR"] }, { issuerCountry: "GB" }, true],
    ["issuer country not listed", { issuer_countries: ["GB"] }, {}, false],
    ["issuer country unknown", { issuer_countries: ["GB"] }, { issuerCountry: null }, false],
    ["domestic: issued in the merchant's country", { region: "domestic" }, {}, true],
    ["domestic, issued abroad", { region: "domestic" }, { issuerCountry: "GB" }, false],
    ["international, issued abroad", { region: "international" }, { issuerCountry: "GB" }, true],
    ["international, issued at home", { region: "international" }, {}, false],
    ["international, issuer unknown", { region: "international" }, { issuerCountry: null }, false],
    ["currency listed", { currencies: ["EUR", "USD"] }, {}, true],
    ["currency not listed", { currencies: ["EUR"] }, {}, false],
    ["amount at the lower bound", { currencies: ["USD"], amount_gte: 10_000 }, {}, true],
    ["amount under the lower bound", { currencies: ["USD"], amount_gte: 10_001 }, {}, false],
    ["amount at the upper bound", { currencies: ["USD"], amount_lte: 10_000 }, {}, true],
    ["amount over the upper bound", { currencies: ["USD"], amount_lte: 9_999 }, {}, false],
    ["metadata value equal", { metadata: { tier: "gold" } }, { metadata: { tier: "gold", x: "y" } }, true],
    ["metadata value different", { metadata: { tier: "gold" } }, { metadata: { tier: "silver" } }, false],
    ["metadata key absent", { metadata: { tier: "gold" } }, {}, false],
    ["metadata key inherited from Object", { metadata: { constructor: "x" } }, {}, false],
    ["every condition holds", { brands: ["visa"], currencies: ["USD"], region: "domestic" }, {}, true],
    ["one of several fails", { brands: ["visa"], currencies: ["EUR"], region: "domestic" }, {}, false],
  ])("%s -> matches: %s", (_case, conditions, facts, matched) => {
    const decision = decide(ruleOf(conditions), payment(facts), context());
    expect(decision.rule).toBe(matched ? "to-aggregator" : "default");
    if (decision.candidates.length > 0) expect(decision.candidates[0]).toBe(matched ? "aggregator" : "acquirer_a");
  });

  it("takes the first rule that matches, and several rules with one route act as OR", () => {
    const toB: Route = { type: "priority", processors: ["acquirer_b"] };
    const rules: RoutingConfig = config({
      rules: [
        { name: "euro", conditions: { currencies: ["EUR"] }, route: toB },
        { name: "gold", conditions: { metadata: { tier: "gold" } }, route: toB },
        { name: "visa", conditions: { brands: ["visa"] }, route: { type: "priority", processors: ["aggregator"] } },
      ],
    });
    const cases: [Partial<RoutingPayment>, string, ProcessorId][] = [
      [{ currency: "EUR" }, "euro", "acquirer_b"],
      [{ metadata: { tier: "gold" } }, "gold", "acquirer_b"],
      [{ currency: "EUR", metadata: { tier: "gold" } }, "euro", "acquirer_b"],
      [{}, "visa", "aggregator"],
      [{ brand: "mastercard" }, "default", "acquirer_a"],
    ];
    for (const [facts, rule, first] of cases) {
      const decision = decide(rules, payment(facts), context());
      expect({ facts, rule: decision.rule, first: decision.candidates[0] }).toEqual({ facts, rule, first });
    }
  });
});

describe("routing engine: routes", () => {
  it("uses the default when no rule matches, and says so", () => {
    const decision = decide(
      config({ default: { type: "priority", processors: ["acquirer_b", "acquirer_a"] } }),
      payment(),
      context(),
    );
    expect(decision.rule).toBe("default");
    expect(decision.candidates).toEqual(["acquirer_b", "acquirer_a", "aggregator"]);
    expect(decision.explanation).toMatch(/^No rule matched; the default route applies\./);
  });

  it("appends the eligible processors a route does not name, as the last resort", () => {
    const decision = decide(ruleOf({ brands: ["visa"] }), payment(), context());
    expect(decision.candidates).toEqual(["aggregator", "acquirer_a", "acquirer_b"]);
    expect(decision.explanation).toContain('Rule "to-aggregator" matched.');
    expect(decision.explanation).toContain("Last resort, not named by the route: acquirer_a, acquirer_b.");
  });

  it.each<[string, Partial<RoutingPayment>, ProcessorId[]]>([
    // visa, US card, US merchant, $100.00: A 2.00% + 20 = 220, B 1.80% + 25 = 205, aggregator 2.90% + 30 = 320
    ["a domestic Visa payment", {}, ["acquirer_b", "acquirer_a", "aggregator"]],
    // mastercard domestic: A 220, B 2.10% + 25 = 235, aggregator 320
    ["a domestic Mastercard payment", { brand: "mastercard" }, ["acquirer_a", "acquirer_b", "aggregator"]],
    // international: A 3.20% + 20 = 340, B 2.90% + 25 = 315, aggregator 320
    ["an international Visa payment", { issuerCountry: "GB" }, ["acquirer_b", "aggregator", "acquirer_a"]],
    // an unknown issuing country is priced as international
    ["a Visa payment from an unknown country", { issuerCountry: null }, ["acquirer_b", "aggregator", "acquirer_a"]],
    // $1.00: the fixed parts decide: A 2 + 20, B 2 + 25, aggregator 3 + 30
    ["a small Visa payment", { amount: 100 }, ["acquirer_a", "acquirer_b", "aggregator"]],
    // $16.67 international Mastercard: A 53 + 20 = 73 and B 48 + 25 = 73 tie, so by id
    [
      "a tie, broken by id",
      { brand: "mastercard", issuerCountry: "GB", amount: 1_667 },
      ["acquirer_a", "acquirer_b", "aggregator"],
    ],
  ])("cheapest first, by the registry's fees: %s", (_case, facts, order) => {
    const decision = decide(config({ default: { type: "cheapest_first" } }), payment(facts), context());
    expect(decision.candidates).toEqual(order);
    const region = facts.issuerCountry === undefined ? "domestic" : "international";
    const fees = order.map((id) =>
      processorFee(PROCESSOR_REGISTRY[id], { amount: payment(facts).amount, brand: payment(facts).brand!, region }),
    );
    expect(fees).toEqual([...fees].sort((a, b) => a! - b!));
    expect(decision.explanation).toContain(`${order[0]} ${fees[0]}`);
  });

  it("ranks only the processors a cheapest-first route names, the others after as the last resort", () => {
    const decision = decide(
      config({ default: { type: "cheapest_first", processors: ["aggregator", "acquirer_a"] } }),
      payment(),
      context(),
    );
    expect(decision.candidates).toEqual(["acquirer_a", "aggregator", "acquirer_b"]);
  });

  const rates: HealthSnapshot = {
    acquirer_a: { state: "closed", score: 0.8 },
    acquirer_b: { state: "closed", score: 0.95 },
    aggregator: { state: "half_open", score: 0.9 },
  };
  it.each<[string, Extract<Route, { type: "success_rate" }>, HealthSnapshot, number, ProcessorId[]]>([
    ["highest first", { type: "success_rate" }, rates, 0.99, ["acquirer_b", "aggregator", "acquirer_a"]],
    [
      "hedged: the draw falls under the default 5%",
      { type: "success_rate" },
      rates,
      0.049,
      ["aggregator", "acquirer_b", "acquirer_a"],
    ],
    [
      "not hedged at exactly the hedge",
      { type: "success_rate" },
      rates,
      0.05,
      ["acquirer_b", "aggregator", "acquirer_a"],
    ],
    [
      "a hedge of its own",
      { type: "success_rate", hedge: 0.3 },
      rates,
      0.2,
      ["aggregator", "acquirer_b", "acquirer_a"],
    ],
    ["no hedging at 0", { type: "success_rate", hedge: 0 }, rates, 0, ["acquirer_b", "aggregator", "acquirer_a"]],
    [
      "unknown processors count as healthy, ties keep registry order",
      { type: "success_rate" },
      {},
      0.99,
      ["acquirer_a", "acquirer_b", "aggregator"],
    ],
    [
      "the best with an open circuit is out, and hedging swaps the two left",
      { type: "success_rate" },
      { ...rates, acquirer_b: { state: "open", score: 0.99 } },
      0.01,
      ["acquirer_a", "aggregator"],
    ],
    [
      "only the processors it names",
      { type: "success_rate", processors: ["acquirer_a", "aggregator"] },
      rates,
      0.99,
      ["aggregator", "acquirer_a", "acquirer_b"],
    ],
  ])("success rate: %s", (_case, route, health, hedgeDraw, order) => {
    const decision = decide(config({ default: route }), payment(), context({ health, hedgeDraw }));
    expect(decision.candidates).toEqual(order);
  });

  const split: Route = {
    type: "volume_split",
    splits: [
      { processor: "acquirer_a", weight: 70 },
      { processor: "acquirer_b", weight: 20 },
      { processor: "aggregator", weight: 10 },
    ],
  };
  it.each<[number, ProcessorId[]]>([
    [0, ["acquirer_a", "acquirer_b", "aggregator"]],
    [0.6999, ["acquirer_a", "acquirer_b", "aggregator"]],
    [0.7, ["acquirer_b", "acquirer_a", "aggregator"]],
    [0.8999, ["acquirer_b", "acquirer_a", "aggregator"]],
    [0.9, ["aggregator", "acquirer_a", "acquirer_b"]],
    [0.9999999, ["aggregator", "acquirer_a", "acquirer_b"]],
  ])("volume split: draw %s lands on the first of %j, the rest by weight", (draw, order) => {
    const decision = decide(config({ default: split }), payment(), context({ draw }));
    expect(decision.candidates).toEqual(order);
    expect(decision.explanation).toContain(`fell on ${order[0]}`);
  });

  it("spreads a skipped processor's share over the others in a volume split", () => {
    // Without acquirer_a, 20:10 over the draw: [0, 2/3) to B, [2/3, 1) to the aggregator.
    const decide_ = (draw: number) =>
      decide(config({ default: split }), payment(), context({ draw, health: open("acquirer_a") })).candidates;
    expect(decide_(0.66)).toEqual(["acquirer_b", "aggregator"]);
    expect(decide_(0.67)).toEqual(["aggregator", "acquirer_b"]);
  });

  function shares(draws: Iterable<number>): Record<string, number> {
    const counts: Record<string, number> = {};
    let total = 0;
    for (const draw of draws) {
      const first = decide(config({ default: split }), payment(), context({ draw })).candidates[0]!;
      counts[first] = (counts[first] ?? 0) + 1;
      total += 1;
    }
    return Object.fromEntries(Object.entries(counts).map(([id, count]) => [id, (100 * count) / total]));
  }

  it("splits 10,000 payments within 2 points of the weights (uniformly spread draws)", () => {
    const result = shares(Array.from({ length: 10_000 }, (_, i) => (i + 0.5) / 10_000));
    expect(Math.abs(result.acquirer_a! - 70)).toBeLessThanOrEqual(2);
    expect(Math.abs(result.acquirer_b! - 20)).toBeLessThanOrEqual(2);
    expect(Math.abs(result.aggregator! - 10)).toBeLessThanOrEqual(2);
  });

  it("splits 10,000 payments within 2 points of the weights with draws derived from their ids", () => {
    const result = shares(
      Array.from({ length: 10_000 }, (_, i) => routingDraws(`pay_${i.toString(16).padStart(64, "0")}`).draw),
    );
    expect(Math.abs(result.acquirer_a! - 70)).toBeLessThanOrEqual(2);
    expect(Math.abs(result.acquirer_b! - 20)).toBeLessThanOrEqual(2);
    expect(Math.abs(result.aggregator! - 10)).toBeLessThanOrEqual(2);
  });

  it("derives the same draws from the same payment, and different ones from another", () => {
    const id = `pay_${"ab".repeat(32)}`;
    expect(routingDraws(id)).toEqual(routingDraws(id));
    expect(routingDraws(id)).not.toEqual(routingDraws(`pay_${"ab".repeat(31)}ac`));
    const { draw, hedgeDraw } = routingDraws(id);
    expect(draw).not.toBe(hedgeDraw);
    for (const value of [draw, hedgeDraw]) expect(value >= 0 && value < 1).toBe(true);
  });
});
