import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESSOR_REGISTRY, type ProcessorId, processorFee } from "../../common/processor-registry.js";
import { apiCall, type DevJson, opsToken, request, startStack } from "../support/running-stack.js";
import { query } from "../support/sql-client.js";
import { eventually } from "../support/webhook-receiver.js";

/**
 * A settled day (issue 16 item 7), through the stack `npm start` boots: captures at several
 * amounts, brands, processors and two currencies, a partial and a full refund, and two chargebacks
 * the acquirer opens and the network then decides (one lost, one won back), cut into settlement
 * batches. The expected net of each currency is computed here, from what the API answered and the
 * registry's fee rule, and must equal the batch's net, the sum of its CSV in R2 and the balance's
 * paid amount, to the minor unit.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
let ops: string;
const tokens: Record<string, string> = {};

/** Visa and Mastercard (US), Amex (US, the aggregator's), Visa issued in Brazil (international). */
const CARDS = {
  visa: "4242424242424242",
  mastercard: "5555555555554444",
  amex: "378282246310005",
  visa_br: "4000000760000002",
} as const;

interface Paid {
  id: string;
  processor: ProcessorId;
  currency: string;
  amount_captured: number;
  payment_method: { card: { brand: string; country: string | null } };
}

async function pay(card: keyof typeof CARDS, amount: number, currency = "usd"): Promise<Paid> {
  const created = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount, currency, payment_method: { type: "card", token: tokens[card] } },
  });
  expect(created.json.status, JSON.stringify(created.json)).toBe("captured");
  return created.json as Paid;
}

/** The registry's fee for a capture: the merchant is in the US, so a card issued elsewhere is international. */
function feeOf(payment: Paid): number {
  const card = payment.payment_method.card;
  const fee = processorFee(PROCESSOR_REGISTRY[payment.processor], {
    amount: payment.amount_captured,
    brand: card.brand as Parameters<typeof processorFee>[1]["brand"],
    region: card.country === "US" ? "domestic" : "international",
  });
  expect(fee).not.toBeNull();
  return fee!;
}

/** The acquirer's RRN for a payment (ISO 8583 field 37: the head of its processor reference). */
async function rrnOf(payment: Paid): Promise<string> {
  const [row] = await eventually(
    () =>
      query<{ processor_reference: string | null }>(
        dev.database_url,
        "select processor_reference from payments where id = $1 and amount_captured > 0",
        [payment.id],
      ),
    (rows) => Boolean(rows[0]?.processor_reference),
  );
  return row!.processor_reference!.split("-")[0]!;
}

async function acquirer(path: string, body?: unknown) {
  const response = await fetch(`${dev.acquirer_admin}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

const movementCount = async () =>
  Number(
    (
      await query<{ count: string }>(
        dev.database_url,
        "select count(*) as count from balance_transactions where merchant_id = $1 and livemode = false",
        [dev.merchant_id],
      )
    )[0]!.count,
  );

beforeAll(async () => {
  stack = await startStack();
  dev = stack.dev;
  ops = await opsToken(dev);
  for (const [name, number] of Object.entries(CARDS)) {
    // As a checkout sends it to the vault; Amex's security code has four digits.
    const response = await fetch(`${dev.vault}/v1/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${dev.publishable_key}` },
      body: JSON.stringify({
        card: { number, exp_month: 12, exp_year: 2034, cvc: name === "amex" ? "1234" : "123" },
      }),
    });
    const token = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(token)).toBe(201);
    tokens[name] = token.id;
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a day of payments, refunds and disputes settles to the expected net", () => {
  it("to the minor unit: the batch, its CSV in R2 and the paid balance, per currency", async () => {
    // The day's captures: four brands and regions, three processors, two currencies.
    const captures = [
      await pay("visa", 12_345),
      await pay("mastercard", 8_050),
      await pay("amex", 20_000),
      await pay("visa_br", 3_999),
      await pay("visa", 7_500),
      await pay("mastercard", 1_001),
      await pay("visa", 4_200, "eur"),
    ];
    expect(new Set(captures.map((payment) => payment.processor))).toEqual(new Set(["acquirer_a", "aggregator"]));
    const [visa, , amex, , toLose, toWin] = captures;

    // Refunds: a part of one, all of another (no amount: what is left of it).
    expect((await apiCall(dev, "POST", `/v1/payments/${visa!.id}/refund`, { json: { amount: 2_345 } })).status).toBe(
      200,
    );
    expect((await apiCall(dev, "POST", `/v1/payments/${amex!.id}/refund`, { json: {} })).status).toBe(200);
    expect((await apiCall(dev, "GET", `/v1/payments/${visa!.id}`)).json).toMatchObject({
      status: "partially_refunded",
      amount_refunded: 2_345,
    });
    expect((await apiCall(dev, "GET", `/v1/payments/${amex!.id}`)).json).toMatchObject({
      status: "refunded",
      amount_refunded: 20_000,
    });
    const refunded = { usd: 2_345 + 20_000, eur: 0 };

    // Two chargebacks at acquirer A (test mode's simulator), pushed as signed advices through the vault to the edge.
    expect([toLose!.processor, toWin!.processor]).toEqual(["acquirer_a", "acquirer_a"]);
    const lostCase = await acquirer("/chargebacks", { rrn: await rrnOf(toLose!), reason_code: "10.4" });
    const wonCase = await acquirer("/chargebacks", { rrn: await rrnOf(toWin!), amount: 600, reason_code: "13.1" });
    expect([lostCase.status, wonCase.status]).toEqual([201, 201]);
    const disputes = await eventually(
      async () => (await apiCall(dev, "GET", "/v1/disputes")).json.data as Record<string, any>[],
      (found) => found.length === 2,
    );
    const byPayment = (payment: Paid) => disputes.find((dispute) => dispute.payment === payment.id)!;
    expect(byPayment(toLose!)).toMatchObject({ amount: 7_500, status: "needs_response" });
    expect(byPayment(toWin!)).toMatchObject({ amount: 600, status: "needs_response" });
    await apiCall(dev, "POST", `/v1/disputes/${byPayment(toWin!).id}/evidence`, {
      json: { text: "Delivered on time, tracking attached." },
    });

    // The network decides: each decision an advice of its own, the same way, retried until 2xx.
    expect((await acquirer(`/chargebacks/${lostCase.json.chargeback_id}/resolve`, { outcome: "lost" })).status).toBe(
      200,
    );
    expect((await acquirer(`/chargebacks/${wonCase.json.chargeback_id}/resolve`, { outcome: "won" })).status).toBe(200);
    // The network decides once: asked the other way, the acquirer refuses; asked the same, it answers the same.
    expect((await acquirer(`/chargebacks/${wonCase.json.chargeback_id}/resolve`, { outcome: "lost" })).status).toBe(
      409,
    );
    expect((await acquirer(`/chargebacks/${wonCase.json.chargeback_id}/resolve`, { outcome: "won" })).status).toBe(200);
    const closed = await eventually(
      async () => (await apiCall(dev, "GET", "/v1/disputes")).json.data as Record<string, any>[],
      (found) => found.every((dispute) => dispute.status === "won" || dispute.status === "lost"),
    );
    expect(closed.find((dispute) => dispute.payment === toLose!.id)).toMatchObject({ status: "lost", version: 2 });
    expect(closed.find((dispute) => dispute.payment === toWin!.id)).toMatchObject({ status: "won", version: 3 });
    const advices = (await acquirer("/chargebacks")).json.chargebacks as Record<string, any>[];
    for (const advice of advices) {
      expect(advice.resolution.notification).toMatchObject({ status: "delivered", last_status: 200 });
    }
    const closedEvents = await apiCall(dev, "GET", "/v1/events?type=dispute.closed");
    expect(closedEvents.json.data.map((event: any) => event.data.object.status).sort()).toEqual(["lost", "won"]);

    // Every movement is in: 7 charges, 2 refunds, 2 disputes, 1 reversal.
    await eventually(movementCount, (count) => count === 12);
    const disputed = { usd: 7_500 + 600, eur: 0 };
    const reversed = { usd: 600, eur: 0 };

    // The expected net per currency, from the captures, refunds and disputes and the fee rule.
    const expected: Record<string, number> = {};
    for (const currency of ["usd", "eur"] as const) {
      const day = captures.filter((payment) => payment.currency === currency);
      const captured = day.reduce((sum, payment) => sum + payment.amount_captured, 0);
      const fees = day.reduce((sum, payment) => sum + feeOf(payment), 0);
      expected[currency] = captured - refunded[currency] - disputed[currency] + reversed[currency] - fees;
    }
    const cut = await request(dev, "/v1/ops/settlements/cut", {
      method: "POST",
      bearer: ops,
      json: { merchant: dev.merchant_id, livemode: false },
    });
    expect(cut.status).toBe(200);
    const balance = await apiCall(dev, "GET", "/v1/balance");
    for (const currency of ["usd", "eur"] as const) {
      const batch = cut.json.data.find((entry: { currency: string }) => entry.currency === currency);
      expect(batch, currency).toMatchObject({ status: "paid", net: expected[currency] });
      const file = await fetch(`${dev.api}${batch.file.url}`, {
        headers: { Authorization: `Basic ${Buffer.from(`${dev.secret_key}:`).toString("base64")}` },
      });
      const csv = await file.text();
      expect(createHash("sha256").update(csv).digest("hex")).toBe(batch.file.sha256);
      const [header, ...lines] = csv.trim().split("\r\n");
      const column = (name: string) => header!.split(",").indexOf(name);
      expect(lines).toHaveLength(batch.transaction_count);
      expect(lines.reduce((sum, line) => sum + Number(line.split(",")[column("net")]), 0)).toBe(expected[currency]);
      if (currency === "usd") {
        const types = lines.map((line) => line.split(",")[column("type")]).sort();
        expect(types).toEqual([
          ...Array(6).fill("charge"),
          "dispute",
          "dispute",
          "dispute_reversal",
          "refund",
          "refund",
        ]);
      }
      const paid = balance.json.paid.find((entry: { currency: string }) => entry.currency === currency);
      expect(paid.amount).toBe(expected[currency]);
    }
  });

  it("keeps the invariant for every merchant and currency: movements = captured - refunded - disputed + won back - fees", async () => {
    const rows = await query<{ merchant_id: string; currency: string; net: string; expected: string }>(
      dev.database_url,
      `with keys as (select distinct merchant_id, livemode, currency from balance_transactions)
       select k.merchant_id, k.currency,
         (select sum(net) from balance_transactions b
            where b.merchant_id = k.merchant_id and b.livemode = k.livemode and b.currency = k.currency) as net,
         (select coalesce(sum(amount_captured), 0) from payments p
            where p.merchant_id = k.merchant_id and p.livemode = k.livemode and p.currency = k.currency)
         - (select coalesce(sum(amount), 0) from refunds r
            where r.merchant_id = k.merchant_id and r.livemode = k.livemode and r.currency = k.currency and r.status = 'succeeded')
         - (select coalesce(sum(amount), 0) from disputes d
            where d.merchant_id = k.merchant_id and d.livemode = k.livemode and d.currency = k.currency)
         + (select coalesce(sum(amount), 0) from disputes d
            where d.merchant_id = k.merchant_id and d.livemode = k.livemode and d.currency = k.currency and d.status = 'won')
         - (select coalesce(sum(fee), 0) from balance_transactions b
            where b.merchant_id = k.merchant_id and b.livemode = k.livemode and b.currency = k.currency) as expected
       from keys k`,
    );
    expect(rows.map((row) => row.currency).sort()).toEqual(["EUR", "USD"]);
    for (const row of rows) expect({ ...row, net: Number(row.net) }).toEqual({ ...row, net: Number(row.expected) });
  });
});
