import { z } from "zod";
import { BALANCE_TYPES } from "../../db/schema/balance-transactions.js";
import { currencyCode, livemode, minorUnits, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { cutSettlementsSchema, listBalanceTransactionsSchema, listSettlementsSchema } from "./settlement.schemas.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const Settlement = resource(
  "Settlement",
  z.strictObject({
    id: prefixedId("st"),
    object: z.literal("settlement"),
    livemode,
    status: z.enum(["paid"]),
    currency: currencyCode,
    day: day.describe("The business day cut (UTC, from the merchant's cut-off hour)."),
    payout_on: day.describe("When the net reaches you: the day plus your settlement_config.delay_days."),
    transaction_count: z.number().int(),
    amount: minorUnits.describe("The sum of its balance transactions' amounts."),
    fee: minorUnits.describe("The processors' fees on them."),
    net: minorUnits.describe("amount - fee: what is paid out."),
    file: z.strictObject({
      sha256: sha256.describe("SHA-256 of the CSV file, as stored."),
      url: z.string().describe("`GET` it with your secret key: the CSV, one line per balance transaction."),
    }),
    json_sha256: sha256.describe("SHA-256 of the JSON file kept beside the CSV."),
    created: unixSeconds,
  }),
  "A settlement batch (a payout): your balance transactions of one business day and currency, paid out together.",
);

export const BalanceTransaction = resource(
  "BalanceTransaction",
  z.strictObject({
    id: prefixedId("txn"),
    object: z.literal("balance_transaction"),
    livemode,
    type: z.enum(BALANCE_TYPES),
    amount: minorUnits.describe("Signed: a charge adds to your balance, a refund or dispute takes from it."),
    fee: minorUnits.describe("What the processor kept (never negative; refunds return no fee)."),
    net: minorUnits.describe("amount - fee."),
    currency: currencyCode,
    status: z.enum(["pending", "paid"]),
    source: z.string().describe("The object that moved the money: the payment (its capture), the refund, the dispute."),
    payment: z.string().nullable(),
    processor: z.string().nullable(),
    available_on: day,
    settlement: z.string().nullable().describe("The settlement that paid it out, once paid."),
    created: unixSeconds,
  }),
  "One money movement on your balance, immutable: a capture, a refund, a dispute.",
);

const amounts = z.array(z.strictObject({ currency: currencyCode, amount: minorUnits }));

export const Balance = resource(
  "Balance",
  z.strictObject({
    object: z.literal("balance"),
    livemode,
    pending: amounts.describe("Net of the balance transactions not yet in a settlement, per currency."),
    available: amounts.describe("Of those, the ones payable by today."),
    paid: amounts.describe("Net of the balance transactions already settled."),
  }),
  "Your balance per currency, in the key's mode.",
);

const secretKey = { kind: "secret_key" } as const;

export const settlementOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/settlements",
    operationId: "listSettlements",
    tag: "Settlements",
    summary: "List settlements",
    auth: secretKey,
    query: listSettlementsSchema,
    success: { status: 200, description: "A page of settlements.", body: { resource: "Settlement", list: true } },
  },
  {
    method: "get",
    path: "/v1/settlements/{id}",
    operationId: "retrieveSettlement",
    tag: "Settlements",
    summary: "Retrieve a settlement",
    auth: secretKey,
    success: { status: 200, description: "The settlement.", body: { resource: "Settlement" } },
    errors: ["resource_missing"],
  },
  {
    method: "get",
    path: "/v1/settlements/{id}/file",
    operationId: "downloadSettlementFile",
    tag: "Settlements",
    summary: "Download a settlement's CSV file",
    description:
      "Columns: balance_transaction, type, source, payment, processor, currency, amount, fee, net, created (ISO 8601), available_on. `X-Content-SHA256` is the file's hash as recorded when it was cut.",
    auth: secretKey,
    success: {
      status: 200,
      description: "The CSV, as stored.",
      body: { schema: z.string(), contentType: "text/csv" },
    },
    errors: ["resource_missing", "settlement_file_missing"],
  },
  {
    method: "get",
    path: "/v1/balance",
    operationId: "retrieveBalance",
    tag: "Settlements",
    summary: "Retrieve your balance",
    auth: secretKey,
    success: { status: 200, description: "The balance.", body: { resource: "Balance" } },
  },
  {
    method: "get",
    path: "/v1/balance_transactions",
    operationId: "listBalanceTransactions",
    tag: "Settlements",
    summary: "List balance transactions",
    auth: secretKey,
    query: listBalanceTransactionsSchema,
    success: {
      status: 200,
      description: "A page of balance transactions, newest first.",
      body: { resource: "BalanceTransaction", list: true },
    },
  },
  {
    method: "post",
    path: "/v1/ops/settlements/cut",
    operationId: "cutSettlements",
    tag: "Ops",
    summary: "Cut settlements now",
    description:
      "Cuts the given business day (today's by default: its movements until now) for one merchant or all, one mode or both, as the hourly Cron Trigger does at each merchant's cut-off. Idempotent per merchant, mode, currency and day.",
    auth: { kind: "ops", scope: "settlements:write" },
    body: cutSettlementsSchema,
    errors: ["settlement_busy"],
    success: {
      status: 200,
      description: "The batches made (or made before, for a day already cut).",
      body: { schema: z.strictObject({ object: z.literal("list"), data: z.array(z.unknown()) }) },
    },
  },
];

export const settlementResources = [Settlement, BalanceTransaction, Balance];
