import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SB_COLUMNS } from "../../simulators/wallet/settlement-report.js";
import { connect } from "../../workers/db/database.js";
import { NpciSettlementFileReader } from "../../workers/reconciliation/layouts/npci-settlement-file.js";
import { PayPalSettlementReportReader } from "../../workers/reconciliation/layouts/paypal-settlement-report.js";
import type { ReportReader } from "../../workers/reconciliation/layouts/report-reader.js";
import { StripeBalanceReportReader } from "../../workers/reconciliation/layouts/stripe-balance-report.js";
import { reconcile } from "../../workers/reconciliation/reconciliation-run.js";
import { ReportFileInvalid } from "../../workers/reconciliation/report-file-invalid.js";
import type { ReconcilableProcessor } from "../../workers/reconciliation/report-sources.js";
import { newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";

/**
 * The aggregator's, the UPI switch's and the wallet's daily files (issue 16 item 3): each read in
 * its own layout as it streams in, refused when it is another day's or cut short, and reconciled
 * against the gateway's movements keyed as the gateway keeps each processor's references.
 */

function read(reader: ReportReader, text: string, cut = 41) {
  const lines = [];
  for (let at = 0; at < text.length; at += cut) lines.push(...reader.push(text.slice(at, at + cut)));
  return { lines, count: reader.end() };
}

const STRIPE_HEADER =
  "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description,customer_facing_amount,customer_facing_currency,charge_id,payment_intent_id,card_brand,payment_method_type";

function stripeReport(day: string, intent = "pi_3Aaa", yenIntent = "pi_3Bbb") {
  return [
    STRIPE_HEADER,
    `txn_1,${day} 09:00:00,${day} 00:00:00,usd,50.00,1.75,48.25,charge,ch_1,"Chai, Co",50.00,usd,ch_1,${intent},visa,card`,
    `txn_2,${day} 09:30:00,${day} 00:00:00,usd,-2.00,0.00,-2.00,fee,fee_1,Radar,,,,,,`,
    `txn_3,${day} 10:00:00,${day} 00:00:00,usd,-10.00,0.00,-10.00,refund,re_1,REFUND FOR CHARGE,-10.00,usd,ch_1,${intent},visa,card`,
    `txn_4,${day} 11:00:00,${day} 00:00:00,jpy,500,45,455,charge,ch_2,,500,jpy,ch_2,${yenIntent},visa,card`,
    "",
  ].join("\r\n");
}

const NPCI_HEADER = "txn_id,rrn,type,org_txn_id,payer,payee,amount,result,code,time,currency,fee,approval";
const txn = (tag: string) => `GWY${tag.padEnd(32, "0")}`;

function npciFile(day: string, paid = txn("paid"), refund = txn("refund")) {
  return [
    NPCI_HEADER,
    `${paid},012345678901,COLLECT,,payer@upi,shop@gwy,499.00,SUCCESS,00,${day}T09:00:00.000Z,INR,0.00,123456`,
    `${txn("failed")},012345678902,COLLECT,,funds@upi,shop@gwy,10.00,FAILURE,Z9,${day}T09:10:00.000Z,INR,0.00,`,
    `${refund},012345678903,REFUND,${paid},shop@gwy,payer@upi,100.50,SUCCESS,00,${day}T10:00:00.000Z,INR,0.00,654321`,
    "",
  ].join("\r\n");
}

const q = (text: string) => `"${text}"`;
const stamp = (day: string, time: string) => q(`${day.replaceAll("-", "/")} ${time} +0000`);

function stlReport(day: string, capture = "5EV31345BN8873012", yen = "7HX42456CO9984123") {
  const sb = (id: string, ref: string, code: string, dc: string, gross: number, currency: string, fee: number) =>
    [
      q("SB"),
      q(id),
      q(""),
      q(ref),
      q(code === "T1107" ? "TXN" : "ODR"),
      q(code),
      stamp(day, "09:00:00"),
      stamp(day, "09:00:00"),
      q(dc),
      String(gross),
      q(currency),
      q(fee ? "DR" : ""),
      fee ? String(fee) : "",
      q(fee ? currency : ""),
      q("pay_1"),
      q("approve@wallet.test"),
    ].join(",");
  return [
    [q("RH"), stamp(day, "23:59:59"), q("A"), q("SIMWALLETACCT"), "011"].join(","),
    [q("FH"), "01"].join(","),
    [q("SH"), stamp(day, "00:00:00"), stamp(day, "23:59:59"), q("SIMWALLETACCT"), q("")].join(","),
    [q("CH"), ...SB_COLUMNS.map(q)].join(","),
    sb(capture, "9AB12345CD6789012", "T0006", "CR", 49_900, "USD", 1_791),
    sb("3RF12345CD6789012", capture, "T1107", "DR", 10_000, "USD", 0),
    sb("4WD12345CD6789012", "", "T0400", "DR", 5_000, "USD", 0),
    // ¥1500, written with two implied decimals; its fee ¥101.
    sb(yen, "8CD12345CD6789012", "T0006", "CR", 150_000, "JPY", 10_100),
    [q("SF"), q("USD"), "49900", "15000", "0", "1791"].join(","),
    [q("SF"), q("JPY"), "150000", "0", "0", "10100"].join(","),
    [q("SC"), "4"].join(","),
    [q("RF"), q("USD"), "49900", "15000", "0", "1791"].join(","),
    [q("RF"), q("JPY"), "150000", "0", "0", "10100"].join(","),
    [q("RC"), "4"].join(","),
    [q("FF"), "15"].join(","),
    "",
  ].join("\r\n");
}

describe("the aggregator's balance report reader (Stripe's itemized layout)", () => {
  const day = "2030-03-11";

  it("reads charges and refunds by their columns' names, in minor units, and reads past other categories", () => {
    const { lines, count } = read(new StripeBalanceReportReader(day), stripeReport(day));
    expect(count).toBe(3);
    expect(lines.map((l) => [l.kind, l.reference, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      ["charge", "ch_1", "pi_3Aaa", "USD", 5_000, 175],
      ["refund", "re_1", "pi_3Aaa", "USD", 1_000, 0],
      ["charge", "ch_2", "pi_3Bbb", "JPY", 500, 45],
    ]);
  });

  it("refuses another day's rows, rows that do not add up, and a file without its header", () => {
    expect(() => read(new StripeBalanceReportReader("2030-03-12"), stripeReport(day))).toThrow(/not 2030-03-12/);
    expect(() => read(new StripeBalanceReportReader(day), stripeReport(day).replace("48.25", "48.26"))).toThrow(
      /add up/,
    );
    expect(() =>
      read(new StripeBalanceReportReader(day), stripeReport(day).replace(",500,45,455,", ",5.5,0,5.5,")),
    ).toThrow(ReportFileInvalid);
    expect(() => read(new StripeBalanceReportReader(day), "<html>no</html>\n")).toThrow(/header/);
  });
});

describe("the UPI switch's settlement file reader (NPCI-style CSV)", () => {
  const day = "2030-03-12";

  it("reads successes only, a refund named by the txn it refunds, with approval numbers and fees", () => {
    const { lines } = read(new NpciSettlementFileReader(day), npciFile(day), 17);
    expect(
      lines.map((l) => [l.kind, l.reference, l.paymentReference, l.amount, l.fee, l.authCode, l.currency]),
    ).toEqual([
      ["charge", txn("paid"), txn("paid"), 49_900, 0, "123456", "INR"],
      ["refund", txn("refund"), txn("paid"), 10_050, 0, "654321", "INR"],
    ]);
  });

  it("reads the first ten columns alone as INR with no fee to compare, and refuses another day's file", () => {
    const short = npciFile(day)
      .split("\r\n")
      .map((row) => row.split(",").slice(0, 10).join(","))
      .join("\r\n");
    const { lines } = read(new NpciSettlementFileReader(day), short);
    expect(lines.map((l) => [l.currency, l.fee, l.authCode])).toEqual([
      ["INR", null, null],
      ["INR", null, null],
    ]);
    expect(() => read(new NpciSettlementFileReader("2030-03-13"), npciFile(day))).toThrow(/not 2030-03-13/);
    expect(() => read(new NpciSettlementFileReader(day), npciFile(day).replace("499.00", "499"))).toThrow(/rupees/);
  });
});

describe("the wallet's settlement report reader (PayPal's STL layout)", () => {
  const day = "2030-03-13";

  it("reads captures (T00xx) and refunds (T1107) in ISO minor units, and reads past other event codes", () => {
    const { lines, count } = read(new PayPalSettlementReportReader(day), stlReport(day));
    expect(count).toBe(3);
    expect(lines.map((l) => [l.kind, l.reference, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      ["charge", "5EV31345BN8873012", "5EV31345BN8873012", "USD", 49_900, 1_791],
      ["refund", "3RF12345CD6789012", "5EV31345BN8873012", "USD", 10_000, 0],
      ["charge", "7HX42456CO9984123", "7HX42456CO9984123", "JPY", 1_500, 101],
    ]);
  });

  it("refuses a report cut short, footers that do not add up, and another day's section", () => {
    const full = stlReport(day);
    const reader = () => new PayPalSettlementReportReader(day);
    expect(() => read(reader(), full.slice(0, full.indexOf('"RF"')))).toThrow(/cut short/);
    expect(() => read(reader(), full.replace('"FF",15', '"FF",14'))).toThrow(/file counts 14/);
    expect(() => read(reader(), full.replace('"SC",4', '"SC",3'))).toThrow(/section counts 3/);
    expect(() => read(reader(), full.replace('"SF","USD",49900', '"SF","USD",49901'))).toThrow(/totals for USD/);
    expect(() => read(new PayPalSettlementReportReader("2030-03-14"), full)).toThrow(/not 2030-03-14/);
    expect(() => read(reader(), full.replace("150000", "150050"))).toThrow(ReportFileInvalid);
  });
});

/** The processor's drop, answering `text` in small chunks with `digest` as its Repr-Digest, if any. */
function serve(text: string, digest: string | null) {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    expect(String(input)).toMatch(/^https:\/\/drop\.test\/reports\/\d{4}-\d{2}-\d{2}$/);
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer drop-token");
    expect(new Headers(init?.headers).get("Accept")).toBe("text/csv");
    const bytes = new TextEncoder().encode(text);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + 97));
        at += 97;
      },
    });
    return new Response(body, { status: 200, headers: digest ? { "Repr-Digest": `sha-256=:${digest}:` } : {} });
  });
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

async function run(processor: ReconcilableProcessor, day: string) {
  const connection = await connect(env);
  try {
    const source = { url: "https://drop.test/reports", token: "drop-token" };
    return await reconcile(connection.db, env.SETTLEMENTS_BUCKET, source, { processor, livemode: false, day });
  } finally {
    await connection.close();
  }
}

/** One captured payment at `processor` with its balance transactions (its capture, then its refunds), as the projection writes them. */
async function seedPayment(p: {
  merchant: string;
  id: string;
  processor: ReconcilableProcessor;
  reference: string;
  day: string;
  amount: number;
  currency: string;
  fee: number;
  refunds?: number[];
  upi?: object;
  wallet?: object;
  authCode?: string;
}) {
  const at = `${p.day}T09:00:00Z`;
  await sql(
    `insert into payments (id, merchant_id, livemode, amount, currency, status, capture_method, payment_method_type,
       processor, processor_reference, amount_captured, upi, wallet, created_at, updated_at)
     values ($1, $2, false, $3, $4, 'captured', 'automatic', 'card', $5, $6, $3, $7, $8, $9, $9)`,
    [p.id, p.merchant, p.amount, p.currency, p.processor, p.reference, p.upi ?? null, p.wallet ?? null, at],
  );
  if (p.authCode) {
    await sql(
      `insert into payment_attempts (id, payment_id, merchant_id, livemode, sequence, status, processor,
         processor_reference, auth_code, payment_version, created_at)
       values ($1, $2, $3, false, 1, 'succeeded', $4, $5, $6, 3, $7)`,
      [`op_${p.id}_1`, p.id, p.merchant, p.processor, p.reference, p.authCode, at],
    );
  }
  const movements = [
    { type: "charge", source: p.id, amount: p.amount, fee: p.fee },
    ...(p.refunds ?? []).map((amount, n) => ({ type: "refund", source: `re_${p.id}_${n}`, amount: -amount, fee: 0 })),
  ];
  for (const [n, m] of movements.entries()) {
    await sql(
      `insert into balance_transactions (id, merchant_id, livemode, type, amount, fee, net, currency, processor, source_id,
         payment_id, available_on, created_at)
       values ($1, $2, false, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::timestamptz + ($13 || ' s')::interval)`,
      [
        `txn_${p.id}_${n}`,
        p.merchant,
        m.type,
        m.amount,
        m.fee,
        m.amount - m.fee,
        p.currency,
        p.processor,
        m.source,
        p.id,
        p.day,
        at,
        n,
      ],
    );
  }
}

const allMatched = (matched: number) => ({
  matched,
  missing_at_processor: 0,
  missing_at_gateway: 0,
  amount_mismatch: 0,
  currency_mismatch: 0,
  duplicate: 0,
  fee_mismatch: 0,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a run over each processor's layout", () => {
  it("reconciles the aggregator's report by PaymentIntent, and refuses one without its digest or cut short", async () => {
    const day = "2030-03-11";
    const { id: merchant } = await newMerchant();
    const suffix = crypto.randomUUID().slice(0, 8);
    const [usd, yen] = [`pi_3Usd${suffix}`, `pi_3Yen${suffix}`];
    await seedPayment({
      merchant,
      id: `pay_agg_usd_${suffix}`,
      processor: "aggregator",
      reference: usd,
      day,
      amount: 5_000,
      currency: "USD",
      fee: 175,
      refunds: [1_000],
    });
    await seedPayment({
      merchant,
      id: `pay_agg_jpy_${suffix}`,
      processor: "aggregator",
      reference: yen,
      day,
      amount: 500,
      currency: "JPY",
      fee: 45,
    });
    const text = stripeReport(day, usd, yen);
    serve(text, null);
    await expect(run("aggregator", day)).rejects.toMatchObject({ code: "processor_report_invalid" });
    serve(text.slice(0, text.lastIndexOf("txn_4")), await sha256Base64(text));
    await expect(run("aggregator", day)).rejects.toMatchObject({ code: "processor_report_invalid" });
    serve(text, await sha256Base64(text));
    const { run: made } = await run("aggregator", day);
    expect(made).toMatchObject({ processor: "aggregator", lineCount: 3, gatewayCount: 3, counts: allMatched(3) });
    expect(made.fileKey).toMatch(/^reconciliation\/test\/aggregator\/2030-03-11\/files\/.+\.csv$/);
  });

  it("reconciles the UPI switch's file by txn id, approval numbers compared", async () => {
    const day = "2030-03-12";
    const { id: merchant } = await newMerchant();
    const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
    const [paid, refund] = [txn(`paid${suffix}`), txn(`refund${suffix}`)];
    await seedPayment({
      merchant,
      id: `pay_upi_${suffix}`,
      processor: "upi_switch",
      reference: "012345678901",
      upi: { txn_id: paid, rrn: "012345678901" },
      authCode: "123456",
      day,
      amount: 49_900,
      currency: "INR",
      fee: 0,
      refunds: [10_050],
    });
    const text = npciFile(day, paid, refund);
    serve(text, await sha256Base64(text));
    const { run: made } = await run("upi_switch", day);
    expect(made).toMatchObject({ lineCount: 2, gatewayCount: 2, counts: allMatched(2) });
    // Another approval number is another transaction: both sides missing.
    const other = npciFile(day, paid, refund).replace(",123456", ",999999");
    serve(other, await sha256Base64(other));
    const { run: changed } = await run("upi_switch", day);
    expect(changed.counts).toMatchObject({ matched: 1, missing_at_gateway: 1, missing_at_processor: 1 });
  });

  it("reconciles the wallet's report by capture, whatever the payment's processor reference", async () => {
    const day = "2030-03-13";
    const { id: merchant } = await newMerchant();
    const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 8).toUpperCase();
    const [capture, yen] = [`5EV31345B${suffix}`, `7HX42456C${suffix}`];
    await seedPayment({
      merchant,
      id: `pay_pp_usd_${suffix}`,
      processor: "paypal",
      // A manual payment's processor reference is its authorization; the report names the capture.
      reference: "0AU12345CD6789012",
      wallet: { capture_id: capture, authorization_id: "0AU12345CD6789012" },
      day,
      amount: 49_900,
      currency: "USD",
      fee: 1_791,
      refunds: [10_000],
    });
    await seedPayment({
      merchant,
      id: `pay_pp_jpy_${suffix}`,
      processor: "paypal",
      reference: yen,
      wallet: { capture_id: yen },
      day,
      amount: 1_500,
      currency: "JPY",
      fee: 101,
    });
    const text = stlReport(day, capture, yen);
    serve(text, null);
    const { run: made } = await run("paypal", day);
    expect(made).toMatchObject({ lineCount: 3, gatewayCount: 3, counts: allMatched(3) });
    serve(text.slice(0, text.indexOf('"RC"')), null);
    await expect(run("paypal", day)).rejects.toMatchObject({ code: "processor_report_invalid" });
  });
});
