import type { CardBrand } from "../../common/card-brands.js";
import type { ProcessorId } from "../../common/processor-registry.js";
import { ALL_HEALTHY, type HealthSnapshot } from "../../workers/routing/health-snapshot.js";
import { putRoutingSchema } from "../../workers/routing/routing.schemas.js";
import type { RoutingConfig, RoutingRule } from "../../workers/routing/routing-config.js";
import { routingDraws } from "../../workers/routing/routing-draws.js";
import type { RoutingContext, RoutingPayment } from "../../workers/routing/routing-payment.js";

/**
 * What the routing benchmark decides on: rule sets of a merchant's size and the payments they
 * see, generated from a fixed seed so every run decides the same things.
 */

const CURRENCIES = ["USD", "EUR", "GBP", "INR"] as const;
const COUNTRIES = ["GB", "DE", "FR", "IN", "BR", "JP", "CA", "AU"] as const;
const BANDS: [number, number][] = [
  [0, 999],
  [1_000, 4_999],
  [5_000, 19_999],
  [20_000, 99_999],
  [100_000, 999_999],
];

/** Seven families of rule, one per kind of condition merchants write; `v` makes each variant distinct. */
const FAMILIES: ((v: number) => Omit<RoutingRule, "name">)[] = [
  (v) => ({
    conditions: { metadata: { store: `store-${v}` } },
    route: { type: "priority", processors: ["acquirer_b", "acquirer_a"] },
  }),
  (v) => ({
    conditions: { brands: [v % 2 === 0 ? "visa" : "mastercard"], currencies: [CURRENCIES[(v >> 1) % 4]!] },
    route: {
      type: "volume_split",
      splits: [
        { processor: "acquirer_a", weight: 60 },
        { processor: "acquirer_b", weight: 30 },
        { processor: "aggregator", weight: 10 },
      ],
    },
  }),
  (v) => {
    const [gte, lte] = BANDS[v % BANDS.length]!;
    return {
      conditions: { currencies: [CURRENCIES[v % 4]!], amount_gte: gte, amount_lte: lte },
      route: { type: "cheapest_first" },
    };
  },
  (v) => ({
    conditions: { issuer_countries: [COUNTRIES[v % COUNTRIES.length]!], region: "international" },
    route: { type: "success_rate", processors: ["acquirer_a", "acquirer_b", "aggregator"], hedge: 0.1 },
  }),
  (v) => ({
    conditions: { metadata: { channel: "recurring", plan: `plan-${v}` }, currencies: ["USD", "EUR"] },
    route: { type: "priority", processors: ["acquirer_a", "aggregator"] },
  }),
  (v) => {
    const brands: CardBrand[][] = [["amex"], ["discover", "diners"], ["jcb"], ["unionpay"]];
    return {
      conditions: { brands: brands[v % 4]!, currencies: [["USD", "EUR", "JPY", "GBP"][(v + (v >> 2)) % 4]!] },
      route: { type: "priority", processors: ["aggregator"] },
    };
  },
  (v) => ({
    conditions: { brands: ["mastercard"], region: "domestic", currencies: ["USD"], amount_lte: 2_000 * (v + 1) },
    route: { type: "success_rate", processors: ["acquirer_a", "acquirer_b"] },
  }),
];

/**
 * `count` rules (at most 50, the API's limit) cycling through the families, so even 10 hold every
 * kind of condition and every route type, validated as `PUT /v1/routing` validates them.
 */
export function ruleSet(count: number): RoutingConfig {
  const rules = Array.from({ length: count }, (_, i) => ({
    name: `rule-${i}`,
    ...FAMILIES[i % FAMILIES.length]!(Math.floor(i / FAMILIES.length)),
  }));
  const { expected_version: _, ...config } = putRoutingSchema.parse({ rules });
  return config;
}

/** mulberry32: a small seeded generator, so the payments are the same every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const NOW = Date.parse("2026-12-01T12:00:00Z");

/** Health as the router meets it: mostly all well, sometimes a demoted or an open processor. */
const HEALTH: HealthSnapshot[] = [
  ALL_HEALTHY,
  { acquirer_a: { state: "closed", score: 0.93 }, acquirer_b: { state: "closed", score: 0.88 } },
  { acquirer_a: { state: "closed", score: 0.61, demoted: true }, aggregator: { state: "closed", score: 0.9 } },
  { acquirer_b: { state: "open", score: 0.2, retryAt: NOW + 10_000 } },
];

/** `count` varied payments (brands, currencies, amounts, countries, metadata), each with its context. */
export function variedPayments(count: number): { payment: RoutingPayment; context: RoutingContext }[] {
  const random = seeded(13);
  const brands: (CardBrand | null)[] = [
    ...["visa", "visa", "visa", "visa", "mastercard", "mastercard", "mastercard"],
    ...["amex", "discover", "jcb", "unionpay", "rupay", null],
  ] as (CardBrand | null)[];
  const reachable: readonly ProcessorId[] = ["acquirer_a", "acquirer_b", "aggregator"];
  return Array.from({ length: count }, (_, i) => {
    const metadata: Record<string, string> = { store: `store-${Math.floor(random() * 12)}` };
    if (random() < 0.3) Object.assign(metadata, { channel: "recurring", plan: `plan-${Math.floor(random() * 8)}` });
    const payment: RoutingPayment = {
      method: "card",
      brand: pick(random, brands),
      currency: pick(random, ["USD", "USD", "EUR", "GBP", "INR", "JPY"]),
      // Log-uniform from 0.50 to 5,000.00: many small payments, a few large ones.
      amount: Math.round(50 * 10_000 ** random()),
      issuerCountry: pick(random, ["US", "US", "GB", ...COUNTRIES, null]),
      merchantCountry: pick(random, ["US", "US", "GB"]),
      metadata,
    };
    const context: RoutingContext = {
      health: pick(random, HEALTH),
      now: NOW,
      ...routingDraws(`pay_bench${i}`),
      reachable,
    };
    return { payment, context };
  });
}
