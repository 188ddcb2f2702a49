import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { PROCESSOR_REGISTRY, processorFee } from "../../common/processor-registry.js";
import type { NewEntry } from "../../simulators/acquirer/ledger.js";
import {
  encodeReference,
  retrievalReference,
  transmissionTime,
} from "../../vault-service/connectors/card-network/iso8583-messages.js";

/**
 * A business day of card payments for the settlement benchmark: `payments` captured sales at
 * acquirer A in test mode, spread evenly over the UTC day across `merchants` merchants, each row
 * made from its index alone, so the gateway's rows (payments, attempts, balance transactions)
 * and the acquirer's journal describe the same transactions without holding the day in memory.
 * Shapes are the real ones: an ISO 8583 RRN (YDDDhh + STAN) and the connector's processor
 * reference (`RRN-MTI-STAN-MMDDhhmmss`), a six-digit approval code, acquirer A's domestic fee.
 */
export interface BenchDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  payments: number;
  merchants: number;
}

/** The merchants' settlement terms: the UTC day closes at midnight, funds wait two days. */
export const SETTLEMENT_CONFIG = {
  schedule: "daily",
  delay_days: 2,
  cutoff_hour: 0,
  currency: "usd",
  statement_descriptor: null,
};

const TERMINAL = "GW000001";
const CARD = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034, funding: "credit", country: "US" };
/** Lines per COPY chunk or journal write. */
const CHUNK = 5_000;

export const merchantId = (index: number) => `acct_Bench${String(index).padStart(19, "0")}`;

export interface DayPayment {
  id: string;
  merchant: number;
  amount: number;
  fee: number;
  at: Date;
  rrn: string;
  stan: string;
  reference: string;
  authCode: string;
}

/** The `index`th payment of the day: everything about it follows from the index. */
export function dayPayment(day: BenchDay, index: number): DayPayment {
  const start = Date.parse(`${day.day}T00:00:00Z`);
  const at = new Date(start + Math.floor((index * 86_400_000) / day.payments));
  const amount = 500 + ((index * 7_919) % 99_500);
  const fee = Math.min(
    processorFee(PROCESSOR_REGISTRY.acquirer_a, { amount, brand: "visa", region: "domestic" }) ?? 0,
    amount,
  );
  const stan = String(index % 1_000_000).padStart(6, "0");
  const rrn = retrievalReference(at, stan);
  return {
    id: `pay_${index.toString(16).padStart(64, "0")}`,
    merchant: index % day.merchants,
    amount,
    fee,
    at,
    rrn,
    stan,
    reference: encodeReference({ rrn, mti: "0200", stan, transmittedAt: transmissionTime(at) }),
    authCode: String((index % 999_999) + 1).padStart(6, "0"),
  };
}

/** The balance transaction id the projection gives a payment's capture (balance-transactions.repository.ts). */
export const chargeTransactionId = (paymentId: string) =>
  `txn_${createHash("sha256").update(`charge|${paymentId}`).digest("hex").slice(0, 32)}`;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function* chunked(count: number, line: (index: number) => string): Generator<string> {
  for (let from = 0; from < count; from += CHUNK) {
    const lines: string[] = [];
    for (let index = from; index < Math.min(count, from + CHUNK); index++) lines.push(line(index));
    yield `${lines.join("\n")}\n`;
  }
}

/** A table's rows in COPY's text format (tab-separated, `\N` for null), with its column list. */
export interface CopyRows {
  table: string;
  columns: string[];
  chunks: Iterable<string>;
}

export function merchantRows(day: BenchDay): CopyRows {
  const config = JSON.stringify(SETTLEMENT_CONFIG);
  return {
    table: "merchants",
    columns: ["id", "name", "email", "country", "default_currency", "settlement_config"],
    chunks: chunked(day.merchants, (m) =>
      [merchantId(m), `Bench merchant ${m}`, `bench${m}@example.com`, "US", "USD", config].join("\t"),
    ),
  };
}

export function paymentRows(day: BenchDay): CopyRows {
  const card = JSON.stringify(CARD);
  return {
    table: "payments",
    columns: [
      "id",
      "merchant_id",
      "livemode",
      "amount",
      "currency",
      "status",
      "capture_method",
      "payment_method_type",
      "processor",
      "processor_reference",
      "card",
      "amount_capturable",
      "amount_captured",
      "version",
      "created_at",
      "updated_at",
    ],
    chunks: chunked(day.payments, (index) => {
      const p = dayPayment(day, index);
      const at = p.at.toISOString();
      return [
        p.id,
        merchantId(p.merchant),
        "f",
        p.amount,
        "USD",
        "captured",
        "automatic",
        "card",
        "acquirer_a",
        p.reference,
        card,
        0,
        p.amount,
        3,
        at,
        at,
      ].join("\t");
    }),
  };
}

export function attemptRows(day: BenchDay): CopyRows {
  return {
    table: "payment_attempts",
    columns: [
      "id",
      "payment_id",
      "merchant_id",
      "livemode",
      "sequence",
      "status",
      "processor",
      "processor_reference",
      "auth_code",
      "latency_ms",
      "payment_version",
      "created_at",
      "completed_at",
    ],
    chunks: chunked(day.payments, (index) => {
      const p = dayPayment(day, index);
      const at = p.at.toISOString();
      return [
        `op_${p.id.slice(4)}_1`,
        p.id,
        merchantId(p.merchant),
        "f",
        1,
        "succeeded",
        "acquirer_a",
        p.reference,
        p.authCode,
        40,
        3,
        at,
        at,
      ].join("\t");
    }),
  };
}

export function balanceTransactionRows(day: BenchDay): CopyRows {
  const availableOn = addDays(day.day, SETTLEMENT_CONFIG.delay_days);
  return {
    table: "balance_transactions",
    columns: [
      "id",
      "merchant_id",
      "livemode",
      "type",
      "amount",
      "fee",
      "net",
      "currency",
      "processor",
      "source_id",
      "payment_id",
      "available_on",
      "status",
      "created_at",
    ],
    chunks: chunked(day.payments, (index) => {
      const p = dayPayment(day, index);
      return [
        chargeTransactionId(p.id),
        merchantId(p.merchant),
        "f",
        "charge",
        p.amount,
        p.fee,
        p.amount - p.fee,
        "USD",
        "acquirer_a",
        p.id,
        p.id,
        availableOn,
        "pending",
        p.at.toISOString(),
      ].join("\t");
    }),
  };
}

/** The acquirer's book of the same day: one captured sale per payment, as its issuer host journals it. */
function ledgerLine(day: BenchDay, index: number): string {
  const p = dayPayment(day, index);
  const at = p.at.toISOString();
  const entry: NewEntry = {
    terminal: TERMINAL,
    rrn: p.rrn,
    stan: p.stan,
    kind: "sale",
    network: "acquirer",
    last4: CARD.last4,
    amount: p.amount,
    currency: "840",
    responseCode: "00",
    authCode: p.authCode,
    status: "captured",
    authorizedAmount: p.amount,
    capturedAmount: p.amount,
    reversedAmount: 0,
    refundedAmount: 0,
    originalRrn: null,
    reversals: 0,
    createdAt: at,
    updatedAt: at,
    brand: CARD.brand,
    issuerCountry: CARD.country,
    capturedAt: at,
  };
  return JSON.stringify({ acquirer: "acquirer_a", ...entry });
}

/** Writes the acquirer's journal (NDJSON) for the day, chunk by chunk. */
export async function writeLedgerJournal(day: BenchDay, path: string): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of chunked(day.payments, (index) => ledgerLine(day, index))) {
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** What each merchant's batch must add up to: count, gross, fees and net, from the rows made. */
export function expectedBatches(day: BenchDay) {
  const batches = Array.from({ length: day.merchants }, () => ({ count: 0, amount: 0, fee: 0, net: 0 }));
  for (let index = 0; index < day.payments; index++) {
    const p = dayPayment(day, index);
    const batch = batches[p.merchant]!;
    batch.count += 1;
    batch.amount += p.amount;
    batch.fee += p.fee;
    batch.net += p.amount - p.fee;
  }
  return batches;
}
