import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type DevJson, opsToken, request, startStack } from "../support/running-stack.js";
import { query } from "../support/sql-client.js";
import { stackWritings } from "../support/stack-scan.js";
import { upiPayment, waitForStatus } from "../support/upi-kit.js";
import { payerTrip, paymentWhen, paypalPayment, walletOrder } from "../support/wallet-kit.js";
import { eventually } from "../support/webhook-receiver.js";

/**
 * Reconciliation against the aggregator's, the UPI switch's and the wallet's own daily files
 * (issue 16 item 3), through the stack `npm start` boots: at each processor a day of payments
 * (one captured at once, one held and captured in part) and a refund; each day's file pulled from
 * the simulator's drop with its token, in the processor's own layout (Stripe's itemized balance
 * report, NPCI-style settlement CSV, PayPal's STL), reconciled all matched; then the simulator
 * gets each kind of discrepancy wrong on purpose and each rerun finds and classifies it.
 */
type Processor = "aggregator" | "upi_switch" | "paypal";

/** What a processor's day was, in the processor's own names for it (what its discrepancies take). */
interface Day {
  admin: string;
  /** The two payments' gateway ids and the processor's references for their charges. */
  payments: [string, string];
  charges: [string, string];
  /** The refund (of the first payment), by the processor's id for it. */
  refund: string;
  /** A line for a payment the gateway never sent. */
  extra: Record<string, unknown>;
  /** A currency the processor settles that the day's payments are not in. */
  otherCurrency: string;
}

let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
let ops: string;
const days = {} as Record<Processor, Day>;

const none = {
  missing_at_processor: 0,
  missing_at_gateway: 0,
  amount_mismatch: 0,
  currency_mismatch: 0,
  duplicate: 0,
  fee_mismatch: 0,
};

async function reconcile(processor: Processor): Promise<Record<string, any>> {
  const answer = await request(dev, "/v1/ops/reconciliation/runs", {
    method: "POST",
    bearer: ops,
    json: { processor },
  });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json;
}

async function exceptions(id: string): Promise<Record<string, any>[]> {
  const answer = await request(dev, `/v1/ops/reconciliation/runs/${id}?limit=100`, { bearer: ops });
  expect(answer.status).toBe(200);
  return answer.json.exceptions.data;
}

async function discrepancies(processor: Processor, body: Record<string, unknown> | null) {
  const response = await fetch(`${days[processor].admin}/reports/discrepancies`, {
    method: body === null ? "DELETE" : "PUT",
    headers: { "Content-Type": "application/json" },
    ...(body === null ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** The day's balance transactions at `processor` once the projection has written `count` of them. */
const booked = (processor: Processor, count: number) =>
  eventually(
    () =>
      query(dev.database_url, "select id from balance_transactions where processor = $1 and livemode = false", [
        processor,
      ]),
    (rows) => rows.length === count,
    30_000,
  );

/** Amex goes to the Stripe-style aggregator (no network link here carries it): a sale, and a hold captured in part. */
async function aggregatorDay(): Promise<Day> {
  const tokenized = await fetch(`${dev.vault}/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${dev.publishable_key}` },
    body: JSON.stringify({ card: { number: "378282246310005", exp_month: 12, exp_year: 2034, cvc: "1234" } }),
  });
  const token = ((await tokenized.json()) as { id: string }).id;
  const card = { type: "card", token };
  const sale = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount: 2_000, currency: "usd", payment_method: card },
  });
  expect(sale.json).toMatchObject({ status: "captured", processor: "aggregator" });
  const held = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount: 5_000, currency: "usd", payment_method: card, capture_method: "manual" },
  });
  const captured = await apiCall(dev, "POST", `/v1/payments/${held.json.id}/capture`, {
    json: { amount_to_capture: 4_000 },
  });
  expect(captured.json).toMatchObject({ status: "captured", processor: "aggregator" });
  const refunded = await apiCall(dev, "POST", `/v1/payments/${sale.json.id}/refund`, { json: { amount: 345 } });
  expect(refunded.status, JSON.stringify(refunded.json)).toBe(200);
  await booked("aggregator", 3);
  const intent = (payment: Record<string, any>) => payment.attempts.at(-1).processor_reference as string;
  const ledger = await fetch(`${dev.aggregator_admin}/ledger?payment_intent=${intent(sale.json)}`);
  const { entries } = (await ledger.json()) as { entries: { refunds: { id: string }[] }[] };
  return {
    admin: dev.aggregator_admin,
    payments: [sale.json.id, captured.json.id],
    charges: [intent(sale.json), intent(captured.json)],
    refund: entries[0]?.refunds[0]?.id ?? "",
    extra: { amount: 1_234, currency: "usd" },
    otherCurrency: "EUR",
  };
}

/** Two collects the payer approves at the switch, and a refund of the first. */
async function upiDay(): Promise<Day> {
  const paid: Record<string, any>[] = [];
  for (const amount of [49_900, 1_250]) {
    const created = await upiPayment(dev, { amount, flow: "collect", vpa: "success@upi" });
    paid.push(await waitForStatus(dev, created.json.id, "captured"));
  }
  const [first, second] = paid as [Record<string, any>, Record<string, any>];
  const refunded = await apiCall(dev, "POST", `/v1/payments/${first.id}/refund`, { json: { amount: 10_050 } });
  expect([200, 202]).toContain(refunded.status);
  await waitForStatus(dev, first.id, "partially_refunded");
  await booked("upi_switch", 3);
  const txnId = (payment: Record<string, any>) => payment.payment_method.upi.transaction_id as string;
  const atSwitch = await fetch(`${dev.upi_switch_admin}/transactions/${txnId(first)}`);
  const { refunds } = (await atSwitch.json()) as { refunds: { id: string }[] };
  return {
    admin: dev.upi_switch_admin,
    payments: [first.id, second.id],
    charges: [txnId(first), txnId(second)],
    refund: refunds[0]?.id ?? "",
    extra: { amount: 1_234 },
    otherCurrency: "USD",
  };
}

/** Two PayPal payments the payer approves (one captured at once, one authorized and captured in part), a refund. */
async function walletDay(): Promise<Day> {
  const approved = async (change: Record<string, unknown>) => {
    const created = await paypalPayment(dev, change);
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    await payerTrip(dev, created.json);
    return created.json;
  };
  const sale = await approved({ amount: 1_999 });
  const saleCaptured = await paymentWhen(dev, sale.id, (payment) => payment.status === "captured");
  const held = await approved({ amount: 5_000, capture_method: "manual" });
  await paymentWhen(dev, held.id, (payment) => payment.status === "authorized");
  const captured = await apiCall(dev, "POST", `/v1/payments/${held.id}/capture`, {
    json: { amount_to_capture: 3_000 },
  });
  expect(captured.json, JSON.stringify(captured.json)).toMatchObject({ status: "captured", processor: "paypal" });
  const refunded = await apiCall(dev, "POST", `/v1/payments/${sale.id}/refund`, { json: { amount: 500 } });
  expect([200, 202], JSON.stringify(refunded.json)).toContain(refunded.status);
  await paymentWhen(dev, sale.id, (payment) => payment.status === "partially_refunded");
  await booked("paypal", 3);
  const order = await walletOrder(dev, sale.payment_method.paypal.order_id);
  return {
    admin: dev.wallet_admin,
    payments: [sale.id, held.id],
    charges: [saleCaptured.payment_method.paypal.capture_id, captured.json.payment_method.paypal.capture_id],
    refund: order.refunds[0]?.id ?? "",
    extra: { amount: 1_234, currency: "USD" },
    otherCurrency: "EUR",
  };
}

beforeAll(async () => {
  stack = await startStack({
    UPI_FIRST_STATUS_CHECK_SECONDS: "2",
    UPI_PAYER_DELAY_MS: "300",
  });
  dev = stack.dev;
  ops = await opsToken(dev);
  days.aggregator = await aggregatorDay();
  days.upi_switch = await upiDay();
  days.paypal = await walletDay();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe.each(["aggregator", "upi_switch", "paypal"] as const)("reconciliation against %s's own file", (processor) => {
  let first: Record<string, any>;

  it("matches every payment and the refund of the day", async () => {
    const day = days[processor];
    expect(day.refund).not.toBe("");
    first = await reconcile(processor);
    expect(first).toMatchObject({
      processor,
      livemode: false,
      day: new Date().toISOString().slice(0, 10),
      status: "completed",
      gateway_count: 3,
      file: { lines: 3 },
      counts: { matched: 3, ...none },
    });
    expect(await exceptions(first.id)).toEqual([]);
    // The same file again is the same run.
    expect((await reconcile(processor)).id).toBe(first.id);
  });

  it("reports one missing at the processor and one amount mismatch when the processor drops one and alters another", async () => {
    const day = days[processor];
    await discrepancies(processor, { drop: [day.charges[0]], amount: [{ reference: day.charges[1], amount: 1_000 }] });
    const run = await reconcile(processor);
    expect(run).toMatchObject({
      supersedes: first.id,
      counts: { ...none, matched: 1, missing_at_processor: 1, amount_mismatch: 1 },
    });
    const found = await exceptions(run.id);
    expect(found.map((item) => [item.class, item.source, item.file.amount])).toEqual(
      expect.arrayContaining([
        ["missing_at_processor", day.payments[0], null],
        ["amount_mismatch", day.payments[1], 1_000],
      ]),
    );
  });

  it("finds and classifies a duplicate, another currency, another fee and a payment the gateway never sent", async () => {
    const day = days[processor];
    await discrepancies(processor, {
      duplicate: [day.charges[1]],
      currency: [{ reference: day.refund, currency: day.otherCurrency }],
      fee: [{ reference: day.charges[0], fee: 7 }],
      extra: [day.extra],
    });
    const run = await reconcile(processor);
    expect(run.counts).toEqual({
      matched: 1,
      missing_at_processor: 0,
      missing_at_gateway: 1,
      amount_mismatch: 0,
      currency_mismatch: 1,
      duplicate: 1,
      fee_mismatch: 1,
    });
    const byClass = Object.fromEntries((await exceptions(run.id)).map((item) => [item.class, item]));
    expect(byClass.duplicate).toMatchObject({ kind: "charge" });
    expect(byClass.currency_mismatch).toMatchObject({
      kind: "refund",
      file: { currency: day.otherCurrency.toLowerCase() },
      payment: day.payments[0],
    });
    expect(byClass.fee_mismatch).toMatchObject({ source: day.payments[0], file: { fee: 7 } });
    expect(byClass.missing_at_gateway).toMatchObject({ file: { amount: 1_234 }, gateway: { amount: null } });
    await discrepancies(processor, null);
    // The file is as it was at first again: that first run is what it is.
    expect((await reconcile(processor)).id).toBe(first.id);
  });
});

describe("the drops", () => {
  it("open only with their tokens, and no token reaches Postgres, the logs or R2", async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const drop of [
      `${dev.aggregator_admin}/reports/balance`,
      `${dev.upi_switch_admin}/reports/settlement`,
      `${dev.wallet_admin}/reports/settlement`,
    ]) {
      expect((await fetch(`${drop}/${today}`)).status).toBe(401);
    }
    const secrets = JSON.parse(readFileSync(join(stack.dataDir, "edge-secrets.json"), "utf8")) as Record<
      string,
      string
    >;
    const { dump, logs } = await stackWritings(dev, stack.dataDir);
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : [readFileSync(path, "latin1")];
      });
    })(join(stack.dataDir, "wrangler-state"));
    const everything = [dump, logs, ...files].join("\n");
    expect(everything).toContain(days.paypal.charges[0]);
    for (const name of ["RECON_AGGREGATOR_TOKEN", "RECON_UPI_SWITCH_TOKEN", "RECON_PAYPAL_TOKEN"]) {
      expect(secrets[name]).toBeTruthy();
      expect(everything).not.toContain(secrets[name]);
    }
  });
});
