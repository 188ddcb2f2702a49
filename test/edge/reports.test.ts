import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index.js";
import { sweepReports } from "../../workers/reports/report-sweep.js";
import { call, expectError, liveSecretKey, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";

/**
 * Reports (issue 16 item 4) that never stall: the hourly sweep sends a report whose message never
 * left again, and fails for good (with `report.failed`) one whose run was dead-lettered or that
 * stayed pending too long; `GET /v1/reports` lists them, merchant and mode scoped.
 */
let serial = 0;

/** A report as `POST /v1/reports` leaves it when the send after the insert failed: pending, no message. */
async function strandedReport(merchantId: string, minutesAgo: number) {
  serial += 1;
  const id = `rpt_stranded${String(Date.now()).slice(-8)}${String(serial).padStart(4, "0")}`;
  await sql(
    `insert into reports (id, merchant_id, livemode, type, created_at)
     values ($1, $2, false, 'payments', now() - ($3 || ' minutes')::interval)`,
    [id, merchantId, String(minutesAgo)],
  );
  return id;
}

/** What the `settlement-batch` dead-letter queue's consumer does with a message the queue gave up on. */
async function deadLetter(body: unknown) {
  serial += 1;
  const batch = createMessageBatch("settlement-batch-dlq-dev", [
    { id: `dlq-report-${Date.now()}-${serial}`, timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
}

const reportRow = (id: string) =>
  sql<{ status: string; failure_code: string | null; file_key: string | null; file_sha256: string | null }>(
    "select status, failure_code, file_key, file_sha256 from reports where id = $1",
    [id],
  ).then((rows) => rows[0]!);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

describe("the report sweep", () => {
  it("sends again a report whose message never left, and it runs; a newer one is left to its own message", async () => {
    const merchant = await newMerchant();
    const stranded = await strandedReport(merchant.id, 20);
    const recent = await strandedReport(merchant.id, 5);
    await sweepReports(env, new Date());
    const ready = await until(
      () => reportRow(stranded),
      (row) => row.status === "ready",
    );
    expect(ready.status).toBe("ready");
    const file = await env.REPORTS_BUCKET.get(ready.file_key!);
    expect(file?.customMetadata?.sha256).toBe(ready.file_sha256);
    expect((await reportRow(recent)).status).toBe("pending");

    // Swept again: a ready report stays as it is, file and all.
    await sweepReports(env, new Date());
    expect(await reportRow(stranded)).toEqual(ready);
    const read = await call("GET", `/v1/reports/${stranded}`, { key: merchant.secretKey });
    expect(read.json).toMatchObject({ status: "ready", failure_code: null });
    expect(read.json.file.download_url).toMatch(/^\/v1\/reports\/rpt_/);
  });

  it("fails for good, once, a report whose run was dead-lettered and one pending past the give-up age", async () => {
    const merchant = await newMerchant();
    const parked = await strandedReport(merchant.id, 1);
    const ancient = await strandedReport(merchant.id, 7 * 60);
    await deadLetter({ kind: "report", report_id: parked });
    await sweepReports(env, new Date());
    await sweepReports(env, new Date());

    for (const [id, reason] of [
      [parked, "dead_lettered"],
      [ancient, "timed_out"],
    ] as const) {
      const read = await call("GET", `/v1/reports/${id}`, { key: merchant.secretKey });
      expect(read.json).toMatchObject({ id, status: "failed", failure_code: reason, file: null });
      expect(read.json.completed).toEqual(expect.any(Number));
      const events = await sql<{ type: string; status: string; failure_code: string }>(
        "select type, data->>'status' as status, data->>'failure_code' as failure_code from events where object_id = $1",
        [id],
      );
      expect(events).toEqual([{ type: "report.failed", status: "failed", failure_code: reason }]);
    }

    // Failed is final: the run arriving late (a redelivered message) keeps nothing.
    const batch = createMessageBatch("settlement-batch-dev", [
      { id: `late-${Date.now()}`, timestamp: new Date(), attempts: 1, body: { kind: "report", report_id: parked } },
    ]);
    const ctx = createExecutionContext();
    await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    expect(await reportRow(parked)).toMatchObject({ status: "failed", file_key: null });
    const left = await env.REPORTS_BUCKET.list({ prefix: `reports/test/${merchant.id}/${parked}/` });
    expect(left.objects).toEqual([]);
  });
});

describe("GET /v1/reports", () => {
  it("lists the merchant's reports in the key's mode, newest first, page by page, without download links", async () => {
    const merchant = await newMerchant();
    const other = await newMerchant();
    const live = await liveSecretKey(merchant.id);
    const created: string[] = [];
    for (const type of ["payments", "refunds", "disputes"]) {
      const answer = await call("POST", "/v1/reports", { key: merchant.secretKey, body: { type } });
      expect(answer.status).toBe(200);
      created.push(answer.json.id);
    }
    const liveReport = (await call("POST", "/v1/reports", { key: live.secret, body: { type: "payments" } })).json.id;
    const othersReport = (await call("POST", "/v1/reports", { key: other.secretKey, body: { type: "payments" } })).json
      .id;

    const first = await call("GET", "/v1/reports?limit=2", { key: merchant.secretKey });
    expect(first.json).toMatchObject({ object: "list", url: "/v1/reports", has_more: true });
    expect(first.json.data.map((report: { id: string }) => report.id)).toEqual([created[2], created[1]]);
    const second = await call("GET", `/v1/reports?limit=2&starting_after=${created[1]}`, { key: merchant.secretKey });
    expect(second.json.has_more).toBe(false);
    expect(second.json.data.map((report: { id: string }) => report.id)).toEqual([created[0]]);

    // Once ready, a report still lists without a link: each link is a credential, signed on retrieval.
    await until(
      () => reportRow(created[0]!),
      (row) => row.status === "ready",
    );
    const listed = await call("GET", "/v1/reports", { key: merchant.secretKey });
    const ready = listed.json.data.find((report: { id: string }) => report.id === created[0]);
    expect(ready).toMatchObject({ status: "ready", livemode: false, file: { download_url: null, expires: null } });

    // The live key sees the live report only; another merchant sees its own; a foreign cursor opens nothing.
    const liveList = await call("GET", "/v1/reports", { key: live.secret });
    expect(liveList.json.data.map((report: { id: string }) => report.id)).toEqual([liveReport]);
    const othersList = await call("GET", "/v1/reports", { key: other.secretKey });
    expect(othersList.json.data.map((report: { id: string }) => report.id)).toEqual([othersReport]);
    const probed = await call("GET", `/v1/reports?starting_after=${othersReport}`, { key: merchant.secretKey });
    expect(probed.json.data).toEqual([]);

    expectError(
      await call("GET", "/v1/reports?starting_after=pay_123", { key: merchant.secretKey }),
      400,
      "invalid_request_error",
      "starting_after",
    );
    expectError(
      await call("GET", "/v1/reports?limit=0", { key: merchant.secretKey }),
      400,
      "invalid_request_error",
      "limit",
    );
  });
});
