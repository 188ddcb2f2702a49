import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect } from "../../workers/db/database.js";
import worker from "../../workers/index.js";
import { R2StreamWriter } from "../../workers/settlement/r2-stream-writer.js";
import { SettlementDrift, settlementId } from "../../workers/settlement/settlement-cut.js";
import type { CutMessage } from "../../workers/settlement/settlement-runs.js";
import { dueCuts, runCut } from "../../workers/settlement/settlement-runs.js";
import { businessDay, cutBoundary, dayClosedAt, dayEnd } from "../../workers/settlement/settlement-schedule.js";
import { newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

let serial = 0;

async function cutThroughQueue(...messages: CutMessage[]) {
  const batch = createMessageBatch<CutMessage>(
    "settlement-batch",
    messages.map((body) => ({ id: `s${++serial}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A cut of 2026-11-20 (UTC) for `merchant`'s test-mode USD, as the queue carries it. */
function cutOf20th(merchant: string, delayDays = 0): CutMessage {
  return {
    kind: "cut",
    merchant_id: merchant,
    livemode: false,
    currency: "USD",
    day: "2026-11-20",
    boundary: "2026-11-21T00:00:00.000Z",
    delay_days: delayDays,
  };
}

/** `count` pending charges for `merchant`, written straight into Postgres (a day's worth of captures). */
async function seedCharges(merchant: string, count: number, at: string, tag = "seed") {
  await sql(
    `insert into balance_transactions (id, merchant_id, livemode, type, amount, fee, net, currency, source_id, payment_id, available_on, created_at)
     select 'txn_' || md5($4 || $1 || n::text), $1, false, 'charge', 1000 + n, 30 + (n % 7), 1000 + n - 30 - (n % 7), 'USD',
            'pay_' || $4 || '_' || $1 || '_' || n, 'pay_' || $4 || '_' || $1 || '_' || n, $2::date,
            $2::timestamptz + (n || ' milliseconds')::interval
     from generate_series(1, $3) as n`,
    [merchant, at, count, tag],
  );
}

describe("balance transactions from the projection", () => {
  it("writes a capture and a refund once each, however often and in whatever order their messages come", async () => {
    const { id: merchant } = await newMerchant();
    const pay = `pay_bt_${Date.now()}`;
    const steps = [
      transition(merchant, pay, 1, "processing", "created"),
      transition(merchant, pay, 2, "authorized", "processing"),
      transition(merchant, pay, 3, "captured", "authorized"),
      transition(merchant, pay, 4, "partially_refunded", "captured"),
    ];
    await deliver([steps[3]!, steps[2]!, steps[0]!, steps[1]!]);
    await deliver(steps);
    await deliver([steps[2]!]);
    const rows = await sql<{ type: string; amount: string; fee: string; net: string; available_on: string }>(
      "select type, amount, fee, net, to_char(available_on, 'YYYY-MM-DD') as available_on from balance_transactions where payment_id = $1 order by type",
      [pay],
    );
    // A processor outside the registry (a legacy `visa` payment) charges no known fee. Default delay: 2 days.
    expect(rows).toEqual([
      { type: "charge", amount: "1000", fee: "0", net: "1000", available_on: "2026-11-27" },
      { type: "refund", amount: "-400", fee: "0", net: "-400", available_on: "2026-11-27" },
    ]);
  });
});

describe("settlement batches", () => {
  it("cuts a day of thousands of movements page by page into R2, with its hash, and moves them all to paid", async () => {
    const { id: merchant } = await newMerchant();
    await seedCharges(merchant, 4_500, "2026-11-20T10:00:00Z");
    const message = cutOf20th(merchant, 2);
    expect((await cutThroughQueue(message)).explicitAcks).toHaveLength(1);
    const [batch] = await sql<Record<string, any>>("select * from settlements where merchant_id = $1", [merchant]);
    const [sums] = await sql<{ count: string; amount: string; fee: string; net: string }>(
      "select count(*) as count, sum(amount) as amount, sum(fee) as fee, sum(net) as net from balance_transactions where merchant_id = $1",
      [merchant],
    );
    expect(batch).toMatchObject({
      id: await settlementId({ merchantId: merchant, livemode: false, currency: "USD", day: "2026-11-20" }),
      transaction_count: 4_500,
      amount: sums!.amount,
      fee: sums!.fee,
      net: sums!.net,
    });
    const csv = await (await env.SETTLEMENTS_BUCKET.get(batch!.file_key))!.text();
    expect(await sha256(csv)).toBe(batch!.file_sha256);
    expect(csv.trim().split("\r\n")).toHaveLength(4_501);
    const json = await (await env.SETTLEMENTS_BUCKET.get(batch!.json_key))!.text();
    expect(await sha256(json)).toBe(batch!.json_sha256);
    const parsed = JSON.parse(json) as { transactions: unknown[]; net: number; payout_on: string };
    expect(parsed.transactions).toHaveLength(4_500);
    expect(parsed.net).toBe(Number(sums!.net));
    expect(parsed.payout_on).toBe("2026-11-22");
    const [left] = await sql<{ pending: string }>(
      "select count(*) filter (where status = 'pending') as pending from balance_transactions where merchant_id = $1",
      [merchant],
    );
    expect(left!.pending).toBe("0");

    // Cut again (a redelivered message): the same batch, no second one, no second pair of events.
    expect((await cutThroughQueue(message)).explicitAcks).toHaveLength(1);
    const [counts] = await sql<{ batches: string; events: string }>(
      `select (select count(*) from settlements where merchant_id = $1) as batches,
              (select count(*) from events where object_id = $2) as events`,
      [merchant, batch!.id],
    );
    expect(counts).toEqual({ batches: "1", events: "2" });
  });

  it("cuts a batch of many merchants' messages a few at a time, each once, and retries only the one that failed", async () => {
    const merchants = await Promise.all(Array.from({ length: 7 }, () => newMerchant()));
    for (const { id } of merchants) await seedCharges(id, 300, "2026-11-20T08:00:00Z");
    const cut = (merchant: string, boundary = "2026-11-21T00:00:00.000Z"): CutMessage => ({
      kind: "cut",
      merchant_id: merchant,
      livemode: false,
      currency: "USD",
      day: "2026-11-20",
      boundary,
      delay_days: 2,
    });
    const broken = cut(merchants[6]!.id, "not a time");
    const result = await cutThroughQueue(...merchants.slice(0, 6).map(({ id }) => cut(id)), broken);
    expect(result.explicitAcks).toHaveLength(6);
    expect(result.retryMessages).toHaveLength(1);
    const batches = await sql<{ merchant_id: string; transaction_count: number }>(
      "select merchant_id, transaction_count from settlements where merchant_id = any($1)",
      [merchants.map(({ id }) => id)],
    );
    expect(batches.map((batch) => batch.merchant_id).sort()).toEqual(
      merchants
        .slice(0, 6)
        .map(({ id }) => id)
        .sort(),
    );
    expect(batches.every((batch) => batch.transaction_count === 300)).toBe(true);
  });

  it("cuts again at once when a movement lands between its read and its move, and gives up after three", async () => {
    // The payment-events consumer projects a capture dated before the boundary a moment after it
    // happened: here it lands while each run writes its CSV, so that run's move finds one more.
    const landing = (merchant: string, times: number) => {
      let landed = 0;
      return new Proxy(env.SETTLEMENTS_BUCKET, {
        get(bucket, name: keyof R2Bucket) {
          if (name !== "put") return typeof bucket[name] === "function" ? bucket[name].bind(bucket) : bucket[name];
          return async (key: string, ...rest: [never, never]) => {
            if (key.endsWith(".csv") && landed < times)
              await seedCharges(merchant, 1, "2026-11-20T12:00:00Z", `late${++landed}`);
            return bucket.put(key, ...rest);
          };
        },
      });
    };
    const connection = await connect(env);
    const db = connection.db;

    const { id: once } = await newMerchant();
    await seedCharges(once, 3, "2026-11-20T09:00:00Z");
    const { settlement } = await runCut(db, landing(once, 1), cutOf20th(once));
    expect(settlement?.transactionCount).toBe(4);
    const [left] = await sql<{ pending: string; paid: string }>(
      `select count(*) filter (where status = 'pending') as pending, count(*) filter (where status = 'paid') as paid
       from balance_transactions where merchant_id = $1`,
      [once],
    );
    expect(left).toEqual({ pending: "0", paid: "4" });
    const csv = await (await env.SETTLEMENTS_BUCKET.get(settlement!.fileKey))!.text();
    expect(await sha256(csv)).toBe(settlement!.fileSha256);
    expect(csv.trim().split("\r\n")).toHaveLength(5);

    const { id: busy } = await newMerchant();
    await seedCharges(busy, 3, "2026-11-20T09:00:00Z");
    await expect(runCut(db, landing(busy, 3), cutOf20th(busy))).rejects.toBeInstanceOf(SettlementDrift);
    const [untouched] = await sql<{ batches: string; pending: string }>(
      `select (select count(*) from settlements where merchant_id = $1) as batches,
              (select count(*) from balance_transactions where merchant_id = $1 and status = 'pending') as pending`,
      [busy],
    );
    expect(untouched).toEqual({ batches: "0", pending: "6" });
    await connection.close();
  });

  it("leaves a movement made after the boundary for the next day's batch", async () => {
    const { id: merchant } = await newMerchant();
    await seedCharges(merchant, 3, "2026-11-20T23:59:59Z");
    await seedCharges(merchant, 2, "2026-11-21T00:00:01Z", "late");
    await cutThroughQueue(cutOf20th(merchant));
    const rows = await sql<{ status: string }>(
      "select status from balance_transactions where merchant_id = $1 order by created_at",
      [merchant],
    );
    expect(rows.map((row) => row.status)).toEqual(["paid", "paid", "paid", "pending", "pending"]);
  });

  it("schedules, at each merchant's cut-off hour, the day that just closed", async () => {
    const { id: merchant } = await newMerchant({ settlement_config: { cutoff_hour: 7 } });
    await seedCharges(merchant, 2, "2026-11-20T09:00:00Z");
    const connection = await connect(env);
    try {
      const at7 = await dueCuts(connection.db, new Date("2026-11-21T07:05:00Z"));
      expect(at7.find((cut) => cut.merchant_id === merchant)).toMatchObject({
        day: "2026-11-20",
        boundary: "2026-11-21T07:00:00.000Z",
        currency: "USD",
      });
      const at8 = await dueCuts(connection.db, new Date("2026-11-21T08:05:00Z"));
      expect(at8.find((cut) => cut.merchant_id === merchant)).toBeUndefined();
    } finally {
      await connection.close();
    }
  });
});

describe("files streamed to R2", () => {
  it("sends a file past 5 MiB as a multipart upload, whole and hashed, and nothing before it is closed", async () => {
    const writer = new R2StreamWriter(env.SETTLEMENTS_BUCKET, "test/multipart.csv", "text/csv");
    const line = `${"x".repeat(1_023)}\n`;
    for (let n = 0; n < 12 * 1024; n++) await writer.write(line);
    expect(await env.SETTLEMENTS_BUCKET.head("test/multipart.csv")).toBeNull();
    const written = await writer.close();
    const stored = await env.SETTLEMENTS_BUCKET.get("test/multipart.csv");
    const text = await stored!.text();
    expect(written.bytes).toBe(12 * 1024 * 1024);
    expect(text.length).toBe(12 * 1024 * 1024);
    expect(written.sha256).toBe(await sha256(text));
  });

  it("cuts every part but the last to one size, whatever the writes' sizes (R2 refuses uneven parts)", async () => {
    const writer = new R2StreamWriter(env.SETTLEMENTS_BUCKET, "test/uneven.csv", "text/csv");
    const lines = Array.from({ length: 12_000 }, (_, n) => `${n},${"y".repeat(400 + ((n * 37) % 1_200))}\n`);
    for (const line of lines) await writer.write(line);
    const written = await writer.close();
    const text = await (await env.SETTLEMENTS_BUCKET.get("test/uneven.csv"))!.text();
    expect(written.bytes).toBeGreaterThan(2 * 5 * 1024 * 1024);
    expect(text).toBe(lines.join(""));
    expect(written.sha256).toBe(await sha256(text));
  });
});

describe("business days", () => {
  const midnight = { cutoffHour: 0 };
  const seven = { cutoffHour: 7 };
  it("closes a day at the merchant's cut-off hour, UTC", () => {
    expect(dayEnd("2026-11-20", midnight).toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(dayEnd("2026-11-20", seven).toISOString()).toBe("2026-11-21T07:00:00.000Z");
    expect(businessDay(new Date("2026-11-21T06:59:59Z"), seven)).toBe("2026-11-20");
    expect(businessDay(new Date("2026-11-21T07:00:00Z"), seven)).toBe("2026-11-21");
    expect(dayClosedAt(new Date("2026-11-21T00:05:00Z"), midnight)).toBe("2026-11-20");
    expect(dayClosedAt(new Date("2026-11-21T01:05:00Z"), midnight)).toBeNull();
  });

  it("cuts an open day until now, a closed one until its end", () => {
    const now = new Date("2026-11-21T12:00:00Z");
    expect(cutBoundary("2026-11-21", now, midnight)).toEqual(now);
    expect(cutBoundary("2026-11-20", now, midnight).toISOString()).toBe("2026-11-21T00:00:00.000Z");
  });
});
