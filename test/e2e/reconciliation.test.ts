import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type DevJson, opsToken, request, startStack, tokenizeCard } from "../support/running-stack.js";
import { query } from "../support/sql-client.js";
import { stackWritings } from "../support/stack-scan.js";
import { eventually } from "../support/webhook-receiver.js";

/**
 * Reconciliation against the acquirer's own file (issue 16 item 3), through the stack `npm start`
 * boots: card payments and a refund at acquirer A, today's clearing file pulled from the
 * simulator's drop with its token and reconciled; then the simulator gets each kind of
 * discrepancy wrong on purpose and each rerun finds and classifies it.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
let ops: string;
const payments: Record<string, any>[] = [];
let refundRrn: string;

const rrn = (payment: Record<string, any>): string => payment.attempts.at(-1).processor_reference.slice(0, 12);

async function reconcile(): Promise<Record<string, any>> {
  const answer = await request(dev, "/v1/ops/reconciliation/runs", {
    method: "POST",
    bearer: ops,
    json: { processor: "acquirer_a" },
  });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json;
}

async function exceptions(id: string): Promise<Record<string, any>[]> {
  const answer = await request(dev, `/v1/ops/reconciliation/runs/${id}?limit=100`, { bearer: ops });
  expect(answer.status).toBe(200);
  return answer.json.exceptions.data;
}

async function discrepancies(body: Record<string, unknown> | null) {
  const response = await fetch(`${dev.acquirer_a_admin}/reports/discrepancies`, {
    method: body === null ? "DELETE" : "PUT",
    headers: { "Content-Type": "application/json" },
    ...(body === null ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
}

const none = {
  missing_at_processor: 0,
  missing_at_gateway: 0,
  amount_mismatch: 0,
  currency_mismatch: 0,
  duplicate: 0,
  fee_mismatch: 0,
};

beforeAll(async () => {
  stack = await startStack();
  dev = stack.dev;
  ops = await opsToken(dev);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("reconciliation against the acquirer's clearing file", () => {
  let first: Record<string, any>;

  it("matches every payment and refund of the day at acquirer A", async () => {
    const token = await tokenizeCard(dev, "4242424242424242");
    for (const amount of [2_000, 12_345, 999]) {
      const paid = await apiCall(dev, "POST", "/v1/payments", {
        json: { amount, currency: "usd", payment_method: { type: "card", token } },
      });
      expect(paid.json).toMatchObject({ status: "captured", processor: "acquirer_a" });
      payments.push(paid.json);
    }
    const manual = await apiCall(dev, "POST", "/v1/payments", {
      json: { amount: 5_000, currency: "usd", payment_method: { type: "card", token }, capture_method: "manual" },
    });
    const captured = await apiCall(dev, "POST", `/v1/payments/${manual.json.id}/capture`, {
      json: { amount_to_capture: 4_000 },
    });
    expect(captured.json).toMatchObject({ status: "captured", processor: "acquirer_a" });
    payments.push(captured.json);
    const refund = await apiCall(dev, "POST", `/v1/payments/${payments[1]!.id}/refund`, { json: { amount: 345 } });
    expect(refund.status).toBe(200);
    await eventually(
      () =>
        query(
          dev.database_url,
          "select id from balance_transactions where processor = 'acquirer_a' and livemode = false",
        ),
      (rows) => rows.length === 5,
    );
    const ledger = (await (await fetch(`${dev.acquirer_a_admin}/ledger`)).json()) as { entries: any[] };
    refundRrn = ledger.entries.find((entry) => entry.kind === "refund" && entry.originalRrn === rrn(payments[1]!)).rrn;

    first = await reconcile();
    expect(first).toMatchObject({
      object: "reconciliation_run",
      processor: "acquirer_a",
      livemode: false,
      day: new Date().toISOString().slice(0, 10),
      status: "completed",
      gateway_count: 5,
      file: { lines: 5 },
      counts: { matched: 5, ...none },
    });
    expect(await exceptions(first.id)).toEqual([]);
    // The same file again is the same run.
    expect((await reconcile()).id).toBe(first.id);
  });

  it("reports exactly one missing at the processor and one amount mismatch when the acquirer drops one and alters another", async () => {
    await discrepancies({
      drop: [rrn(payments[0]!)],
      amount: [{ reference: payments[2]!.attempts.at(-1).processor_reference, amount: 1_000 }],
    });
    const run = await reconcile();
    expect(run.id).not.toBe(first.id);
    expect(run).toMatchObject({
      supersedes: first.id,
      counts: { ...none, matched: 3, missing_at_processor: 1, amount_mismatch: 1 },
    });
    const found = await exceptions(run.id);
    expect(found.map((item) => [item.class, item.source, item.file.amount, item.gateway.amount])).toEqual(
      expect.arrayContaining([
        ["missing_at_processor", payments[0]!.id, null, 2_000],
        ["amount_mismatch", payments[2]!.id, 1_000, 999],
      ]),
    );
    const runs = await request(dev, "/v1/ops/reconciliation/runs?processor=acquirer_a", { bearer: ops });
    expect(runs.json.data.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [run.id, "completed"],
      [first.id, "superseded"],
    ]);
  });

  it("finds and classifies each other kind: a duplicate, another currency, another fee, a transaction the gateway never sent", async () => {
    await discrepancies({
      duplicate: [rrn(payments[1]!)],
      currency: [{ reference: refundRrn, currency: "EUR" }],
      fee: [{ reference: rrn(payments[3]!), fee: 1 }],
      extra: [{ amount: 1_234, currency: "USD" }],
    });
    const run = await reconcile();
    expect(run.counts).toEqual({
      matched: 3,
      missing_at_processor: 0,
      missing_at_gateway: 1,
      amount_mismatch: 0,
      currency_mismatch: 1,
      duplicate: 1,
      fee_mismatch: 1,
    });
    const found = await exceptions(run.id);
    const byClass = Object.fromEntries(found.map((item) => [item.class, item]));
    expect(byClass.duplicate).toMatchObject({ kind: "charge", reference: rrn(payments[1]!) });
    expect(byClass.currency_mismatch).toMatchObject({
      kind: "refund",
      reference: refundRrn,
      file: { currency: "eur", amount: 345 },
      gateway: { currency: "usd", amount: 345 },
    });
    expect(byClass.fee_mismatch).toMatchObject({ source: payments[3]!.id, file: { fee: 1 } });
    expect(byClass.fee_mismatch.gateway.fee).toBeGreaterThan(1);
    expect(byClass.missing_at_gateway).toMatchObject({ file: { amount: 1_234 }, gateway: { amount: null } });
    const onlyFees = await request(dev, `/v1/ops/reconciliation/runs/${run.id}?class=fee_mismatch`, { bearer: ops });
    expect(onlyFees.json.exceptions.data).toHaveLength(1);
  });

  it("is what `npm run reconcile` runs, and the drop opens only with its token", async () => {
    await discrepancies(null);
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/reconcile.ts", "--processor", "acquirer_a"], {
      env: {
        ...process.env,
        GATEWAY_API: dev.api,
        OPS_CLIENT_ID: dev.ops_client_id,
        OPS_CLIENT_SECRET: dev.ops_client_secret,
      },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    // The file is as it was at first again: that first run (superseded since) is what it is.
    expect(JSON.parse(run.stdout)).toMatchObject({ id: first.id, counts: { matched: 5 } });
    const today = new Date().toISOString().slice(0, 10);
    expect((await fetch(`${dev.acquirer_a_admin}/reports/clearing/${today}`)).status).toBe(401);
  });

  it("keeps no card number and no drop token in Postgres, the logs or R2", async () => {
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
    expect(everything).toContain(rrn(payments[0]!));
    expect(everything).not.toContain("4242424242424242");
    expect(everything).not.toContain(secrets.RECON_ACQUIRER_A_TOKEN);
  });
});
