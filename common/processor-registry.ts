import type { CardBrand } from "./card-brands.js";

/**
 * The processors a payment can be routed to, as configuration (issue 13): what each accepts, what
 * it costs, how long it may take, and what its answers mean for a retry elsewhere. Both zones read
 * it: the edge's router filters and ranks candidates by it, the vault's connectors carry them out.
 * Nothing here is secret; where each processor is reached (hosts, credentials) is the vault's
 * own configuration, per mode.
 *
 * Locally there are three: two ISO 8583 acquirers (the simulator twice, with different coverage,
 * fees and approval behaviour) and a Stripe-style card aggregator over HTTP, which takes the
 * brands no network link here carries (Amex and the rest).
 */
export const PROCESSOR_IDS = ["acquirer_a", "acquirer_b", "aggregator", "upi_switch", "paypal"] as const;
export type ProcessorId = (typeof PROCESSOR_IDS)[number];

/**
 * The ones card data goes to: their connectors live in the vault (the cardholder data zone),
 * and only these may be named on the vault's internal API. UPI's and the wallet's connectors run
 * at the edge: neither ever sees a card number.
 */
export const CARD_PROCESSOR_IDS = ["acquirer_a", "acquirer_b", "aggregator"] as const satisfies readonly ProcessorId[];
export type CardProcessorId = (typeof CARD_PROCESSOR_IDS)[number];

/**
 * How the gateway speaks to it: ISO 8583 or a Stripe-style API from the vault; NPCI-style XML or
 * PayPal's REST API (a redirect wallet) from the edge.
 */
export type ProcessorKind = "card_network" | "card_aggregator" | "upi" | "wallet";

/** The payment methods a processor can take. */
export type PaymentMethod = "card" | "upi" | "paypal";

/**
 * What an answer means for the payment's next step (Hyperswitch's "gateway status map"):
 * - `hard_decline`: the issuer said no for good (stolen, closed, do not honor): never retried.
 * - `soft_decline`: this route said no but another may say yes (issuer unavailable, limits at
 *   this acquirer, a processing error): worth the next candidate.
 * - `technical`: the processor failed (timeout before sending, refused connection, 5xx): the next
 *   candidate, and a strike against the processor's health.
 */
export type AnswerClass = "hard_decline" | "soft_decline" | "technical";

/** Where a payment's card was issued relative to the merchant: interchange and fees differ. */
export type Region = "domestic" | "international";

/**
 * One line of a fee table: first match wins (`*` matches anything). Percent in basis points (1/100
 * of a percent, so 2.9% is 290) of the amount, plus a fixed part in the payment currency's minor
 * units: integers only, as all money here (DESIGN invariant 1).
 */
export interface FeeRule {
  brand: CardBrand | "*";
  region: Region | "*";
  percentBps: number;
  fixedMinor: number;
}

export interface ProcessorProfile {
  id: ProcessorId;
  kind: ProcessorKind;
  /** For people: dashboards, routing explanations. */
  name: string;
  methods: readonly PaymentMethod[];
  brands: readonly CardBrand[];
  /** ISO 4217 alphabetic codes. */
  currencies: readonly string[];
  /** Issuing countries (ISO 3166-1 alpha-2, from the BIN) it accepts, or `*` for all. */
  issuerCountries: readonly string[] | "*";
  fees: readonly FeeRule[];
  /** The longest an authorization may take there before it is treated as lost. */
  authorizationTimeoutMs: number;
  /** Its own answer codes (ISO 8583 field 39, or the aggregator's `decline_code`) by class; others are `defaultClass`. */
  codes: Readonly<Record<string, AnswerClass>>;
  defaultClass: AnswerClass;
}

/**
 * NPCI's answer codes (UPI Error and Response Codes, sources in ../shared/notes/processors.md):
 * the payer's own refusals end the payment; the switch's and banks' timeouts are technical.
 */
const UPI_ANSWER_CLASSES: Readonly<Record<string, AnswerClass>> = {
  U30: "hard_decline", // debit failed at the remitter bank
  U69: "hard_decline", // collect expired
  ZA: "hard_decline", // declined by the customer
  ZM: "hard_decline", // invalid MPIN
  Z9: "hard_decline", // insufficient funds
  ZH: "hard_decline", // invalid virtual address
  U16: "hard_decline", // risk threshold exceeded
  BT: "technical", // beneficiary bank timeout
  UT: "technical", // remitter bank timeout
};

/**
 * ISO 8583 field 39 codes both acquirers use (ISO 8583:1987 Annex A, as Visa and Mastercard
 * apply them): the ones that end the payment, and the ones another route may turn into a yes.
 */
const ISO_CODES: Readonly<Record<string, AnswerClass>> = {
  "04": "hard_decline", // pick up card
  "05": "hard_decline", // do not honor
  "14": "hard_decline", // invalid card number
  "41": "hard_decline", // lost card
  "43": "hard_decline", // stolen card
  "51": "hard_decline", // insufficient funds: the same card fails everywhere
  "54": "hard_decline", // expired card
  "57": "hard_decline", // not permitted to cardholder
  "59": "hard_decline", // suspected fraud
  "62": "hard_decline", // restricted card
  "82": "hard_decline", // CVV failure
  "61": "soft_decline", // exceeds withdrawal limit at this acquirer's terminal class
  "65": "soft_decline", // activity count exceeded
  "91": "soft_decline", // issuer or switch inoperative
  "92": "soft_decline", // no route to the issuer from this acquirer
  "96": "technical", // system malfunction
};

export const PROCESSOR_REGISTRY: Readonly<Record<ProcessorId, ProcessorProfile>> = {
  acquirer_a: {
    id: "acquirer_a",
    kind: "card_network",
    name: "Acquirer A (ISO 8583)",
    methods: ["card"],
    brands: ["visa", "mastercard"],
    currencies: ["USD", "EUR", "GBP", "INR"],
    issuerCountries: "*",
    fees: [
      { brand: "*", region: "domestic", percentBps: 200, fixedMinor: 20 },
      { brand: "*", region: "international", percentBps: 320, fixedMinor: 20 },
    ],
    authorizationTimeoutMs: 10_000,
    codes: ISO_CODES,
    defaultClass: "soft_decline",
  },
  acquirer_b: {
    id: "acquirer_b",
    kind: "card_network",
    name: "Acquirer B (ISO 8583)",
    methods: ["card"],
    brands: ["visa", "mastercard"],
    currencies: ["USD", "EUR"],
    issuerCountries: "*",
    fees: [
      { brand: "visa", region: "domestic", percentBps: 180, fixedMinor: 25 },
      { brand: "*", region: "domestic", percentBps: 210, fixedMinor: 25 },
      { brand: "*", region: "international", percentBps: 290, fixedMinor: 25 },
    ],
    authorizationTimeoutMs: 12_000,
    codes: ISO_CODES,
    defaultClass: "soft_decline",
  },
  aggregator: {
    id: "aggregator",
    kind: "card_aggregator",
    name: "Card aggregator (Stripe-style HTTP)",
    methods: ["card"],
    brands: ["visa", "mastercard", "amex", "discover", "jcb", "diners", "unionpay"],
    currencies: ["USD", "EUR", "GBP", "INR", "JPY"],
    issuerCountries: "*",
    fees: [
      { brand: "amex", region: "*", percentBps: 350, fixedMinor: 30 },
      { brand: "*", region: "*", percentBps: 290, fixedMinor: 30 },
    ],
    authorizationTimeoutMs: 15_000,
    // Stripe's decline codes (stripe.com/docs/declines/codes).
    codes: {
      card_declined: "soft_decline",
      generic_decline: "soft_decline",
      processing_error: "technical",
      issuer_not_available: "soft_decline",
      try_again_later: "soft_decline",
      insufficient_funds: "hard_decline",
      lost_card: "hard_decline",
      stolen_card: "hard_decline",
      expired_card: "hard_decline",
      incorrect_cvc: "hard_decline",
      incorrect_number: "hard_decline",
      fraudulent: "hard_decline",
      do_not_honor: "hard_decline",
    },
    defaultClass: "soft_decline",
  },
  upi_switch: {
    id: "upi_switch",
    kind: "upi",
    name: "UPI switch (NPCI-style XML)",
    methods: ["upi"],
    brands: [],
    // UPI moves rupees only; amounts are in paise.
    currencies: ["INR"],
    issuerCountries: "*",
    // UPI person-to-merchant payments carry no merchant discount rate (zero MDR, Payment and
    // Settlement Systems Act s.10A, in force since 1 Jan 2020).
    fees: [{ brand: "*", region: "*", percentBps: 0, fixedMinor: 0 }],
    // NPCI's response time for the debit and credit legs since 16 Jun 2025.
    authorizationTimeoutMs: 15_000,
    codes: UPI_ANSWER_CLASSES,
    defaultClass: "technical",
  },
  paypal: {
    id: "paypal",
    kind: "wallet",
    name: "PayPal-style wallet (Orders v2 over HTTPS)",
    methods: ["paypal"],
    brands: [],
    // PayPal's REST currencies (developer.paypal.com/api/rest/reference/currency-codes), INR
    // for Indian accounts only and left out; HUF, JPY and TWD take whole units (wallet-money.ts).
    currencies: "AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD".split(
      " ",
    ),
    issuerCountries: "*",
    // PayPal Checkout's US standard rate (paypal.com/us/business/paypal-business-fees): 3.49% + $0.49.
    fees: [{ brand: "*", region: "*", percentBps: 349, fixedMinor: 49 }],
    // A capture reaches the payer's funding source: the connector's write budget (wallet-client.ts).
    authorizationTimeoutMs: 20_000,
    // PayPal's refusals, by issue name (workers/connectors/wallet/wallet-codes.ts): the payer's
    // funding refused it for good; anything else is the wallet failing.
    codes: {
      wallet_instrument_declined: "hard_decline",
      wallet_capture_declined: "hard_decline",
      wallet_payment_denied: "hard_decline",
      wallet_payer_cannot_pay: "hard_decline",
    },
    defaultClass: "technical",
  },
};

/** The fee for `amount` minor units at `processor`, in the same minor units (rounded half up), or null when no rule fits. */
export function processorFee(
  profile: ProcessorProfile,
  payment: { amount: number; brand: CardBrand | null; region: Region },
): number | null {
  const rule = profile.fees.find(
    (fee) =>
      (fee.brand === "*" || fee.brand === payment.brand) && (fee.region === "*" || fee.region === payment.region),
  );
  if (!rule) return null;
  // Integer arithmetic: amount * bps / 10,000, half up, then the fixed part.
  return Math.floor((payment.amount * rule.percentBps + 5_000) / 10_000) + rule.fixedMinor;
}

/** What a processor's answer code means for the next step. */
export function classifyAnswer(profile: ProcessorProfile, code: string): AnswerClass {
  return profile.codes[code] ?? profile.defaultClass;
}
