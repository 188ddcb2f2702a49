import { createHash } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeBalanceReportReader } from "../../workers/reconciliation/layouts/stripe-balance-report.js";
import { statedSha256 } from "../../workers/reconciliation/repr-digest.js";
import { expectDropRefusals } from "../reports/drop-refusals.js";
import { type RunningAggregator, startAggregatorSimulator } from "./aggregator-simulator.js";

/**
 * The aggregator's daily balance report as the gateway pulls it: authenticated, the day so far,
 * its digest stated, read by the gateway's own reader, and wrong on purpose when told.
 */
const TOKEN = "balance-report-test-token-0123456789";
const KEY = "sk_test_balance_report_test_key_0123";
const today = new Date().toISOString().slice(0, 10);
let sim: RunningAggregator;
let stripe: Stripe;

const card = (number: string, cvc = "123") =>
  ({ type: "card", card: { number, exp_month: 12, exp_year: 2034, cvc } }) as never;

const pull = (day = today, token: string | null = TOKEN) =>
  fetch(`${sim.adminUrl}/reports/balance/${day}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

/** The report as the gateway reads it, after checking the digest its drop stated. */
async function read() {
  const response = await pull();
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(statedSha256(response.headers.get("Repr-Digest"))).toBe(createHash("sha256").update(text).digest("base64"));
  const reader = new StripeBalanceReportReader(today);
  const lines = reader.push(text);
  expect(reader.end()).toBe(lines.length);
  return { text, lines };
}

const discrepancies = (body: unknown) =>
  fetch(`${sim.adminUrl}/reports/discrepancies`, {
    method: body === null ? "DELETE" : "PUT",
    headers: { "Content-Type": "application/json" },
    ...(body === null ? {} : { body: JSON.stringify(body) }),
  });

let visa: Stripe.PaymentIntent;
let amex: Stripe.PaymentIntent;
let yen: Stripe.PaymentIntent;
let refund: Stripe.Refund;

beforeAll(async () => {
  sim = await startAggregatorSimulator({ port: 0, adminPort: 0, dataDir: null, secretKey: KEY, reportToken: TOKEN });
  stripe = new Stripe(KEY, { host: "127.0.0.1", port: sim.port, protocol: "http", maxNetworkRetries: 0 });
  const create = (params: Record<string, unknown>) =>
    stripe.paymentIntents.create({ confirm: true, ...params } as Stripe.PaymentIntentCreateParams);
  visa = await create({ amount: 5_000, currency: "usd", payment_method_data: card("4242424242424242") });
  const held = await create({
    amount: 10_000,
    currency: "usd",
    capture_method: "manual",
    payment_method_data: card("378282246310005", "1234"),
  });
  amex = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 8_000 });
  yen = await create({ amount: 500, currency: "jpy", payment_method_data: card("4242424242424242") });
  refund = await stripe.refunds.create({ payment_intent: visa.id, amount: 1_000 });
  // Declined, and held but never captured: no money moved, no row.
  await create({ amount: 700, currency: "usd", payment_method_data: card("4000000000000002") }).catch(() => null);
  await create({
    amount: 900,
    currency: "usd",
    capture_method: "manual",
    payment_method_data: card("4242424242424242"),
  });
});

afterAll(async () => {
  await sim?.stop();
});

describe("the balance report over HTTP", () => {
  it("answers 401 with a Bearer challenge without the right token, and refuses days it cannot have", async () => {
    await expectDropRefusals(pull, today, TOKEN);
  });

  it("lists the day's charges and refunds as Stripe's itemized report does, fees from the aggregator's table", async () => {
    const { text, lines } = await read();
    expect(text.split("\r\n")[0]).toMatch(
      /^balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,/,
    );
    expect(text).toContain(",usd,50.00,1.75,48.25,charge,");
    expect(text).toContain(",usd,-10.00,0.00,-10.00,refund,");
    expect(lines.map((l) => [l.kind, l.reference, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      // 2.9% + 30 (half up); Amex 3.5% + 30; JPY has no decimals (500 is ¥500).
      ["charge", visa.latest_charge, visa.id, "USD", 5_000, 175],
      ["charge", amex.latest_charge, amex.id, "USD", 8_000, 310],
      ["charge", yen.latest_charge, yen.id, "JPY", 500, 45],
      ["refund", refund.id, visa.id, "USD", 1_000, 0],
    ]);
  });

  it("is the same bytes when pulled again, and an empty day is its header alone", async () => {
    expect((await read()).text).toBe((await read()).text);
    const empty = await pull("2001-01-01");
    expect((await empty.text()).split("\r\n")).toHaveLength(2);
  });

  it("introduces each discrepancy it is told to in the next reports, and forgets them on DELETE", async () => {
    const put = await discrepancies({
      drop: [yen.id],
      amount: [{ reference: amex.id, amount: 8_001 }],
      duplicate: [visa.latest_charge],
      currency: [{ reference: refund.id, currency: "EUR" }],
      fee: [{ reference: amex.id, fee: 1 }],
      extra: [{ amount: 4_321, currency: "usd" }],
    });
    expect(put.status).toBe(200);
    const { lines } = await read();
    expect(lines.map((l) => [l.kind, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      ["charge", visa.id, "USD", 5_000, 175],
      ["charge", visa.id, "USD", 5_000, 175],
      ["charge", amex.id, "USD", 8_001, 1],
      ["refund", visa.id, "EUR", 1_000, 0],
      ["charge", "pi_XTRA00000001", "USD", 4_321, 0],
    ]);
    expect((await discrepancies({ drop: ["not-an-id"] })).status).toBe(400);
    expect((await discrepancies(null)).status).toBe(200);
    expect((await read()).lines).toHaveLength(4);
  });
});
