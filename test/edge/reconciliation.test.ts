import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { generateClientSecret, hashCredential } from "../../common/api-key-secret.js";
import { CURRENCY_NUMERIC } from "../../vault-service/connectors/card-network/currency-numeric.js";
import { connect } from "../../workers/db/database.js";
import { ClearingFileReader } from "../../workers/reconciliation/layouts/acquirer-clearing-file.js";
import { CURRENCY_ALPHA } from "../../workers/reconciliation/layouts/currency-numeric.js";
import {
  type FileLine,
  type GatewayRow,
  lineKey,
  matchGroup,
  rowKey,
} from "../../workers/reconciliation/reconciliation-matcher.js";
import { reconcile } from "../../workers/reconciliation/reconciliation-run.js";
import { ReportFileInvalid } from "../../workers/reconciliation/report-file-invalid.js";
import { call, newMerchant, opsToken } from "./support/api.js";
import { sql } from "./support/database.js";

const line = (overrides: Partial<FileLine> = {}): FileLine => ({
  lineNo: 1,
  kind: "charge",
  reference: "633512000001",
  paymentReference: "633512000001",
  amount: 1_000,
  currency: "USD",
  fee: 40,
  authCode: "000111",
  bookedAt: null,
  ...overrides,
});

const row = (overrides: Partial<GatewayRow> = {}): GatewayRow => ({
  kind: "charge",
  sourceId: "pay_1",
  paymentId: "pay_1",
  merchantId: "acct_1",
  reference: "633512000001-0200-000001-1202120000-visa",
  paymentReference: "633512000001",
  amount: 1_000,
  currency: "USD",
  fee: 40,
  authCode: "000111",
  ...overrides,
});

const classes = (items: ReturnType<typeof matchGroup>) => items.map((item) => item.class);

describe("the matcher", () => {
  it("pairs a sale with the capture of the same RRN, and says what differs: currency, then amount, then fee", () => {
    expect(lineKey(line())).toBe(rowKey(row()));
    expect(classes(matchGroup([line()], [row()]))).toEqual(["matched"]);
    expect(classes(matchGroup([line({ amount: 999 })], [row()]))).toEqual(["amount_mismatch"]);
    expect(classes(matchGroup([line({ currency: "EUR", amount: 999 })], [row()]))).toEqual(["currency_mismatch"]);
    expect(classes(matchGroup([line({ fee: 41 })], [row()]))).toEqual(["fee_mismatch"]);
    // A file without fees is not compared on them.
    expect(classes(matchGroup([line({ fee: null })], [row({ fee: 75 })]))).toEqual(["matched"]);
  });

  it("finds what one side lacks, and a line listed twice", () => {
    expect(matchGroup([], [row()])).toEqual([{ class: "missing_at_processor", line: null, row: row() }]);
    expect(matchGroup([line()], [])).toEqual([{ class: "missing_at_gateway", line: line(), row: null }]);
    const twice = matchGroup([line(), line({ lineNo: 7 })], [row()]);
    expect(twice.map((item) => [item.class, item.line?.lineNo])).toEqual([
      ["matched", 1],
      ["duplicate", 7],
    ]);
    expect(classes(matchGroup([line(), line({ lineNo: 2 })], []))).toEqual(["missing_at_gateway", "duplicate"]);
  });

  it("does not pair a line and a capture whose approval codes differ: both are missing", () => {
    expect(classes(matchGroup([line({ authCode: "999999" })], [row()]))).toEqual([
      "missing_at_gateway",
      "missing_at_processor",
    ]);
    expect(classes(matchGroup([line({ authCode: null })], [row()]))).toEqual(["matched"]);
  });

  it("keys a refund by its payment's RRN and pairs several refunds of one payment by their amounts first", () => {
    const refundLine = (lineNo: number, rrn: string, amount: number) =>
      line({
        lineNo,
        kind: "refund",
        reference: rrn,
        paymentReference: "633512000001",
        amount,
        fee: 0,
        authCode: null,
      });
    const refundRow = (id: string, amount: number) =>
      row({ kind: "refund", sourceId: id, amount, fee: 0, authCode: null });
    expect(lineKey(refundLine(1, "633512000009", 5))).toBe(rowKey(refundRow("re_1", 5)));
    expect(lineKey(refundLine(1, "633512000009", 5))).not.toBe(lineKey(line()));
    const swapped = matchGroup(
      [refundLine(1, "633512000009", 300), refundLine(2, "633512000010", 200)],
      [refundRow("re_1", 200), refundRow("re_2", 300)],
    );
    expect(swapped.map((item) => [item.class, item.row?.sourceId])).toEqual([
      ["matched", "re_2"],
      ["matched", "re_1"],
    ]);
    const altered = matchGroup(
      [refundLine(1, "633512000009", 301), refundLine(2, "633512000010", 200)],
      [refundRow("re_1", 200), refundRow("re_2", 300)],
    );
    expect(altered.map((item) => [item.class, item.row?.sourceId])).toEqual([
      ["amount_mismatch", "re_2"],
      ["matched", "re_1"],
    ]);
  });

  it("leaves what has no key standing alone", () => {
    expect(rowKey(row({ reference: "pi_3Nc8aggregator", paymentReference: null }))).toBe("row:pay_1");
    expect(lineKey(line({ kind: "refund", paymentReference: null, lineNo: 4 }))).toBe("line:4");
  });

  it("compares only what the layout compares: no approval codes and no fees when told so", () => {
    const nothing = { fee: false, authCode: false };
    expect(classes(matchGroup([line({ authCode: "999999", fee: 1 })], [row()], nothing))).toEqual(["matched"]);
    expect(classes(matchGroup([line({ fee: 1 })], [row()], { fee: true, authCode: false }))).toEqual(["fee_mismatch"]);
  });
});

const DAY = "2030-01-15";
const header = `HEADER|${DAY}|acquirer_a|2`;

function read(chunks: string[], day = DAY): { lines: FileLine[]; count: number } {
  const reader = new ClearingFileReader(day);
  const lines = chunks.flatMap((chunk) => reader.push(chunk));
  return { lines, count: reader.end() };
}

describe("the clearing file reader", () => {
  const file = [
    header,
    `DR|633512000001|acquirer|4242|840|000000001000|000111||000000000040|${DAY}T10:00:00.000Z`,
    `CR|633512000002|acquirer|4242|978|000000000300|||000000000000|${DAY}T11:00:00.000Z`,
    `DR|633512000003|acquirer|4242|999|000000000500|000112|`,
    `TRAILER|${DAY}|3`,
    "TOTAL|840|1000",
    "TOTAL|978|-300",
    "TOTAL|999|500",
    "",
  ].join("\n");

  it("reads lines split anywhere across chunks, in ISO 4217 alphabetic, the first eight columns enough", () => {
    const { lines, count } = read([file.slice(0, 37), file.slice(37, 120), file.slice(120)]);
    expect(count).toBe(3);
    expect(
      lines.map((l) => [l.lineNo, l.kind, l.reference, l.currency, l.amount, l.fee, l.authCode, l.paymentReference]),
    ).toEqual([
      [1, "charge", "633512000001", "USD", 1000, 40, "000111", "633512000001"],
      [2, "refund", "633512000002", "EUR", 300, 0, null, null],
      [3, "charge", "633512000003", "999", 500, null, "000112", "633512000003"],
    ]);
  });

  it("refuses another day's file, one cut short, and one whose trailer does not add up", () => {
    expect(() => read([file], "2030-01-16")).toThrow(ReportFileInvalid);
    expect(() => read([file.slice(0, file.indexOf("TRAILER"))])).toThrow(/cut short/);
    expect(() => read([file.replace(`TRAILER|${DAY}|3`, `TRAILER|${DAY}|4`)])).toThrow(/trailer counts 4/);
    expect(() => read([file.replace("TOTAL|840|1000", "TOTAL|840|1001")])).toThrow(/total for 840/);
    expect(() => read(["<html>not a file</html>\n"])).toThrow(/header/);
    expect(() => read([`${header}\nDR|short\n`])).toThrow(/not a detail line/);
  });

  it("knows the same currencies the vault sends", () => {
    const inverted = Object.fromEntries(Object.entries(CURRENCY_ALPHA).map(([numeric, alpha]) => [alpha, numeric]));
    expect(inverted).toEqual(CURRENCY_NUMERIC);
  });
});

/** A day of captures and refunds at acquirer A, seeded straight into the gateway's tables. */
async function seedDay(merchant: string, day: string, count: number) {
  const at = `${day}T09:00:00Z`;
  // RRN: 12 digits from the day and n; the reference as the vault writes it.
  const rrn = `lpad((extract(doy from $2::date)::int * 100000 + n)::text, 12, '0')`;
  await sql(
    `insert into payments (id, merchant_id, livemode, amount, currency, status, capture_method, payment_method_type,
       processor, processor_reference, amount_captured, created_at, updated_at)
     select 'pay_rc' || $3 || '_' || n, $1, false, 1000 + n, 'USD', 'captured', 'automatic', 'card', 'acquirer_a',
            ${rrn} || '-0200-' || lpad(n::text, 6, '0') || '-0115090000-visa', 1000 + n, $2::timestamptz, $2::timestamptz
     from generate_series(1, $4::int) as n`,
    [merchant, at, day.replaceAll("-", ""), count],
  );
  await sql(
    `insert into payment_attempts (id, payment_id, merchant_id, livemode, sequence, status, processor, processor_reference,
       auth_code, payment_version, created_at)
     select 'op_pay_rc' || $2 || '_' || n || '_1', 'pay_rc' || $2 || '_' || n, $1, false, 1, 'succeeded', 'acquirer_a',
            p.processor_reference, lpad(n::text, 6, '0'), 3, p.created_at
     from generate_series(1, $3::int) as n join payments p on p.id = 'pay_rc' || $2 || '_' || n`,
    [merchant, day.replaceAll("-", ""), count],
  );
  await sql(
    `insert into balance_transactions (id, merchant_id, livemode, type, amount, fee, net, currency, processor, source_id,
       payment_id, available_on, created_at)
     select 'txn_' || md5('rc' || $3 || n), $1, false, 'charge', 1000 + n, 40, 960 + n, 'USD', 'acquirer_a',
            'pay_rc' || $3 || '_' || n, 'pay_rc' || $3 || '_' || n, $2::date, $2::timestamptz + (n || ' ms')::interval
     from generate_series(1, $4::int) as n
     union all
     select 'txn_' || md5('rcr' || $3 || n), $1, false, 'refund', -100, 0, -100, 'USD', 'acquirer_a',
            're_rc' || $3 || '_' || n, 'pay_rc' || $3 || '_' || n, $2::date, $2::timestamptz + interval '1 hour' + (n || ' ms')::interval
     from generate_series(1, $4::int, 500) as n`,
    [merchant, at, day.replaceAll("-", ""), count],
  );
}

/** The acquirer's file for that day as it should be: one DR per capture, one CR per refund. */
function fileFor(day: string, count: number, alter: (columns: string[]) => string[][] = (c) => [c]): string {
  const doy = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.UTC(Number(day.slice(0, 4)), 0, 0)) / 86_400_000);
  const rrnOf = (n: number) => String(doy * 100_000 + n).padStart(12, "0");
  const details: string[][] = [];
  for (let n = 1; n <= count; n += 1) {
    details.push(
      ...alter([
        "DR",
        rrnOf(n),
        "acquirer",
        "4242",
        "840",
        String(1000 + n).padStart(12, "0"),
        String(n).padStart(6, "0"),
        "",
        "000000000040",
        `${day}T09:00:00.000Z`,
      ]),
    );
    if ((n - 1) % 500 === 0) {
      details.push(
        ...alter([
          "CR",
          `R${rrnOf(n).slice(1)}`,
          "acquirer",
          "4242",
          "840",
          "000000000100",
          "",
          rrnOf(n),
          "000000000000",
          `${day}T10:00:00.000Z`,
        ]),
      );
    }
  }
  const nets = new Map<string, number>();
  for (const d of details) nets.set(d[4]!, (nets.get(d[4]!) ?? 0) + (d[0] === "CR" ? -1 : 1) * Number(d[5]));
  return [
    `HEADER|${day}|acquirer_a|2`,
    ...details.map((d) => d.join("|")),
    `TRAILER|${day}|${details.length}`,
    ...[...nets].map(([currency, net]) => `TOTAL|${currency}|${net}`),
    "",
  ].join("\n");
}

/** The processor's drop, answering `text` in small chunks (as a network would). */
function serve(text: string) {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    expect(String(input)).toMatch(/^https:\/\/drop\.test\/reports\/clearing\/\d{4}-\d{2}-\d{2}$/);
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer drop-token");
    const bytes = new TextEncoder().encode(text);
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + 7_919));
        at += 7_919;
      },
    });
    return new Response(body, { status: 200 });
  });
}

const source = { url: "https://drop.test/reports/clearing", token: "drop-token" };

async function run(day: string) {
  const connection = await connect(env);
  try {
    return await reconcile(connection.db, env.SETTLEMENTS_BUCKET, source, {
      processor: "acquirer_a",
      livemode: false,
      day,
    });
  } finally {
    await connection.close();
  }
}

let ops: string;

beforeAll(async () => {
  const secret = generateClientSecret();
  const id = `opc_TestRecon${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await sql("insert into ops_clients (id, name, secret_hash, scopes) values ($1, 'recon', $2, $3)", [
    id,
    await hashCredential(env.API_KEY_PEPPER, secret),
    ["reconciliation:read", "reconciliation:write"],
  ]);
  ops = await opsToken(id, secret);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a reconciliation run", () => {
  const day = "2030-02-10";
  const count = 4_500;

  it("reconciles a day of thousands page by page: every capture and refund matched, the file kept with its hash", async () => {
    const { id: merchant } = await newMerchant();
    await seedDay(merchant, day, count);
    const text = fileFor(day, count);
    serve(text);
    const { run: made, created } = await run(day);
    expect(created).toBe(true);
    expect(made).toMatchObject({
      lineCount: count + 9,
      gatewayCount: count + 9,
      status: "completed",
      supersedes: null,
    });
    expect(made.counts).toEqual({
      matched: count + 9,
      missing_at_processor: 0,
      missing_at_gateway: 0,
      amount_mismatch: 0,
      currency_mismatch: 0,
      duplicate: 0,
      fee_mismatch: 0,
    });
    const stored = await env.SETTLEMENTS_BUCKET.get(made.fileKey);
    expect(await stored?.text()).toBe(text);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    expect(made.fileSha256).toBe([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
    const exceptions = await env.SETTLEMENTS_BUCKET.get(made.exceptionsKey);
    expect((await exceptions?.text())?.trim().split("\r\n")).toHaveLength(1);
  });

  it("answers the same run for the same file, keeping nothing new; a changed file is a new run superseding it", async () => {
    const before = await env.SETTLEMENTS_BUCKET.list({ prefix: `reconciliation/test/acquirer_a/${day}/files/` });
    serve(fileFor(day, count));
    const again = await run(day);
    expect(again.created).toBe(false);
    const after = await env.SETTLEMENTS_BUCKET.list({ prefix: `reconciliation/test/acquirer_a/${day}/files/` });
    expect(after.objects.map((o) => o.key)).toEqual(before.objects.map((o) => o.key));

    // The acquirer drops one sale and clears another for a cent more, on both sides of a page boundary.
    serve(
      fileFor(day, count, (columns) => {
        if (columns[0] === "DR" && columns[1]!.endsWith("01999")) return [];
        if (columns[0] === "DR" && columns[1]!.endsWith("02001"))
          return [[...columns.slice(0, 5), "000000003002", ...columns.slice(6)]];
        if (columns[0] === "DR" && columns[1]!.endsWith("04000")) return [columns, columns];
        return [columns];
      }),
    );
    const changed = await run(day);
    expect(changed.created).toBe(true);
    expect(changed.run.supersedes).toBe(again.run.id);
    expect(changed.run.counts).toMatchObject({
      matched: count + 9 - 2,
      missing_at_processor: 1,
      amount_mismatch: 1,
      duplicate: 1,
      missing_at_gateway: 0,
    });
    const [previous] = await sql<{ status: string }>("select status from reconciliation_runs where id = $1", [
      again.run.id,
    ]);
    expect(previous?.status).toBe("superseded");
    const items = await sql<{
      class: string;
      reference: string;
      file_amount: string | null;
      gateway_amount: string | null;
    }>(
      "select class, reference, file_amount, gateway_amount from reconciliation_items where run_id = $1 order by seq",
      [changed.run.id],
    );
    expect(items.map((item) => [item.class, item.file_amount, item.gateway_amount])).toEqual([
      ["missing_at_processor", null, "2999"],
      ["amount_mismatch", "3002", "3001"],
      ["duplicate", "5000", null],
    ]);
  });

  it("refuses a file cut short, and keeps nothing of it", async () => {
    const before = await sql("select id from reconciliation_runs where day = $1", [day]);
    const text = fileFor(day, 10);
    serve(text.slice(0, text.indexOf("TRAILER")));
    await expect(run(day)).rejects.toMatchObject({ code: "processor_report_invalid" });
    expect(await sql("select id from reconciliation_runs where day = $1", [day])).toHaveLength(before.length);
    const files = await env.SETTLEMENTS_BUCKET.list({ prefix: `reconciliation/test/acquirer_a/${day}/files/` });
    expect(files.objects).toHaveLength(2);
  });

  it("gives up on a drop that goes silent mid-file, as unavailable, and keeps nothing of it", async () => {
    const before = await sql("select id from reconciliation_runs where day = $1", [day]);
    const stored = await env.SETTLEMENTS_BUCKET.list({ prefix: `reconciliation/test/acquirer_a/${day}/files/` });
    const head = new TextEncoder().encode(fileFor(day, 10).slice(0, 200));
    let cancelled = false;
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        // The header and a line or two, then nothing more, ever (a stalled transfer).
        pull(controller) {
          if (sent) return new Promise<void>(() => {});
          sent = true;
          controller.enqueue(head);
        },
        cancel: () => {
          cancelled = true;
        },
      });
      return new Response(body, { status: 200 });
    });
    const started = Date.now();
    const connection = await connect(env);
    try {
      await expect(
        reconcile(
          connection.db,
          env.SETTLEMENTS_BUCKET,
          { ...source, idleTimeoutMs: 300 },
          {
            processor: "acquirer_a",
            livemode: false,
            day,
          },
        ),
      ).rejects.toMatchObject({ code: "processor_report_unavailable" });
    } finally {
      await connection.close();
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(cancelled).toBe(true);
    expect(await sql("select id from reconciliation_runs where day = $1", [day])).toHaveLength(before.length);
    const files = await env.SETTLEMENTS_BUCKET.list({ prefix: `reconciliation/test/acquirer_a/${day}/files/` });
    expect(files.objects).toHaveLength(stored.objects.length);
  });
});

describe("the ops routes", () => {
  it("lists runs and reads one with a page of its exceptions, by class and cursor", async () => {
    const list = await call("GET", "/v1/ops/reconciliation/runs?processor=acquirer_a&day=2030-02-10", { bearer: ops });
    expect(list.status).toBe(200);
    expect(list.json.data.map((r: { status: string }) => r.status)).toEqual(["completed", "superseded"]);
    const id = list.json.data[0].id;
    const first = await call("GET", `/v1/ops/reconciliation/runs/${id}?limit=2`, { bearer: ops });
    expect(first.status).toBe(200);
    expect(first.json.counts.amount_mismatch).toBe(1);
    expect(first.json.exceptions.data.map((item: { class: string }) => item.class)).toEqual([
      "missing_at_processor",
      "amount_mismatch",
    ]);
    expect(first.json.exceptions.has_more).toBe(true);
    const next = await call(
      "GET",
      `/v1/ops/reconciliation/runs/${id}?starting_after=${first.json.exceptions.next_cursor}`,
      {
        bearer: ops,
      },
    );
    expect(next.json.exceptions.data.map((item: { class: string }) => item.class)).toEqual(["duplicate"]);
    const amounts = await call("GET", `/v1/ops/reconciliation/runs/${id}?class=amount_mismatch`, { bearer: ops });
    expect(amounts.json.exceptions.data).toEqual([
      expect.objectContaining({
        class: "amount_mismatch",
        kind: "charge",
        file: expect.objectContaining({ amount: 3002, currency: "usd", fee: 40 }),
        gateway: expect.objectContaining({ amount: 3001, currency: "usd", fee: 40 }),
      }),
    ]);
    expect(
      (await call("GET", "/v1/ops/reconciliation/runs/rcn_00000000000000000000000000000000", { bearer: ops })).status,
    ).toBe(404);
  });

  it("refuses a processor with no drop configured in the mode, and a caller without the scope", async () => {
    const missing = await call("POST", "/v1/ops/reconciliation/runs", {
      bearer: ops,
      body: { processor: "acquirer_a" },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ code: "reconciliation_source_missing", param: "processor" });
    const unknown = await call("POST", "/v1/ops/reconciliation/runs", { bearer: ops, body: { processor: "paypal" } });
    expect(unknown.json.error.param).toBe("processor");
    const future = await call("POST", "/v1/ops/reconciliation/runs", {
      bearer: ops,
      body: { processor: "acquirer_a", day: "2999-01-01" },
    });
    expect(future.json.error.param).toBe("day");
    const other = await opsToken();
    expect((await call("GET", "/v1/ops/reconciliation/runs", { bearer: other })).status).toBe(403);
  });
});
