import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESSOR_REGISTRY, processorFee } from "../../common/processor-registry.js";
import { apiCall, type DevJson, opsToken, request, startStack, tokenizeCard } from "../support/running-stack.js";
import { query } from "../support/sql-client.js";
import { eventually } from "../support/webhook-receiver.js";

/**
 * The money after the authorization (issue 16 items 1 and 2), through the stack `npm start` boots:
 * captures and refunds become balance transactions in the projection, once each; ops cut today's
 * settlement; its CSV in R2 sums to the balance's paid amount; cutting again changes nothing.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
let token: string;
let ops: string;

async function pay(amount: number, capture: "automatic" | "manual" = "automatic") {
  const created = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount, currency: "usd", payment_method: { type: "card", token }, capture_method: capture },
  });
  expect(created.status).toBe(200);
  return created.json;
}

async function cut(body: Record<string, unknown> = {}) {
  return request(dev, "/v1/ops/settlements/cut", { method: "POST", bearer: ops, json: body });
}

interface Movement {
  type: string;
  amount: string;
  fee: string;
  net: string;
  source_id: string;
  status: string;
}

const movements = (merchant: string) =>
  query<Movement>(
    dev.database_url,
    "select type, amount, fee, net, source_id, status from balance_transactions where merchant_id = $1 and livemode = false and currency = 'USD' order by created_at, id",
    [merchant],
  );

beforeAll(async () => {
  stack = await startStack({ WEBHOOK_LOCAL_RECEIVERS: "on" });
  dev = stack.dev;
  token = await tokenizeCard(dev, "4242424242424242");
  ops = await opsToken(dev);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("balance transactions and settlement", () => {
  const paid: Record<string, any>[] = [];
  let batchId: string | undefined;

  it("records each capture (with its processor's fee) and each refund once, and the sums hold to the minor unit", async () => {
    paid.push(await pay(2_000), await pay(12_345), await pay(999));
    const manual = await pay(5_000, "manual");
    const captured = await apiCall(dev, "POST", `/v1/payments/${manual.id}/capture`, {
      json: { amount_to_capture: 4_000 },
    });
    expect(captured.json.status).toBe("captured");
    paid.push(captured.json);
    const refund = await apiCall(dev, "POST", `/v1/payments/${paid[1]!.id}/refund`, { json: { amount: 345 } });
    expect(refund.status).toBe(200);

    const rows = await eventually(
      () => movements(dev.merchant_id),
      (found) => found.length >= 5,
    );
    expect(rows.filter((row) => row.type === "charge")).toHaveLength(4);
    expect(rows.filter((row) => row.type === "refund")).toHaveLength(1);
    for (const payment of paid) {
      const charge = rows.find((row) => row.type === "charge" && row.source_id === payment.id)!;
      const profile = PROCESSOR_REGISTRY[payment.processor as keyof typeof PROCESSOR_REGISTRY];
      const region = payment.payment_method.card?.country === "US" ? "domestic" : "international";
      const fee = processorFee(profile, {
        amount: payment.amount_captured,
        brand: payment.payment_method.card?.brand ?? null,
        region,
      });
      expect(Number(charge.amount)).toBe(payment.amount_captured);
      expect(Number(charge.fee)).toBe(fee);
      expect(Number(charge.net)).toBe(payment.amount_captured - (fee ?? 0));
    }
    const refundRow = rows.find((row) => row.type === "refund")!;
    expect([Number(refundRow.amount), Number(refundRow.fee), Number(refundRow.net)]).toEqual([-345, 0, -345]);

    // The invariant: the movements' net is captured - refunded - disputed - fees, per merchant and currency.
    const [sums] = await query<{ net: string; expected: string }>(
      dev.database_url,
      `select
         (select coalesce(sum(net), 0) from balance_transactions where merchant_id = $1 and livemode = false and currency = 'USD') as net,
         (select coalesce(sum(amount_captured), 0) from payments where merchant_id = $1 and livemode = false and currency = 'USD')
         - (select coalesce(sum(amount), 0) from refunds where merchant_id = $1 and livemode = false and currency = 'USD' and status = 'succeeded')
         - (select coalesce(sum(amount), 0) from disputes where merchant_id = $1 and livemode = false and currency = 'USD')
         - (select coalesce(sum(fee), 0) from balance_transactions where merchant_id = $1 and livemode = false and currency = 'USD') as expected`,
      [dev.merchant_id],
    );
    expect(Number(sums!.net)).toBe(Number(sums!.expected));

    const balance = await apiCall(dev, "GET", "/v1/balance");
    const pending = balance.json.pending.find((entry: { currency: string }) => entry.currency === "usd");
    expect(pending.amount).toBe(Number(sums!.net));
  });

  it("refuses to change or delete a movement, in Postgres itself", async () => {
    await expect(
      query(dev.database_url, "update balance_transactions set amount = amount + 1 where merchant_id = $1", [
        dev.merchant_id,
      ]),
    ).rejects.toThrow(/refused/);
    await expect(
      query(dev.database_url, "delete from balance_transactions where merchant_id = $1", [dev.merchant_id]),
    ).rejects.toThrow(/refused/);
  });

  it("cuts today's settlement: its CSV in R2 sums to the paid balance, and cutting again gives the same one batch", async () => {
    const before = await movements(dev.merchant_id);
    const net = before.reduce((sum, row) => sum + Number(row.net), 0);
    const first = await cut({ merchant: dev.merchant_id, livemode: false });
    expect(first.status).toBe(200);
    const batch = first.json.data.find((entry: { currency: string }) => entry.currency === "usd");
    batchId = batch?.id;
    expect(batch).toMatchObject({ object: "settlement", status: "paid", transaction_count: before.length, net });

    const file = await fetch(`${dev.api}${batch.file.url}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${dev.secret_key}:`).toString("base64")}` },
    });
    expect(file.status).toBe(200);
    const csv = await file.text();
    expect(createHash("sha256").update(csv).digest("hex")).toBe(batch.file.sha256);
    const [header, ...lines] = csv.trim().split("\r\n");
    const columns = header!.split(",");
    const netColumn = columns.indexOf("net");
    expect(lines).toHaveLength(before.length);
    expect(lines.reduce((sum, line) => sum + Number(line.split(",")[netColumn]), 0)).toBe(net);

    const balance = await apiCall(dev, "GET", "/v1/balance");
    const paidUsd = balance.json.paid.find((entry: { currency: string }) => entry.currency === "usd");
    expect(paidUsd.amount).toBe(net);
    expect(balance.json.pending.find((entry: { currency: string }) => entry.currency === "usd")?.amount ?? 0).toBe(0);

    const again = await cut({ merchant: dev.merchant_id, livemode: false });
    expect(again.status).toBe(200);
    const [{ count }] = (await query<{ count: string }>(
      dev.database_url,
      "select count(*) as count from settlements where merchant_id = $1",
      [dev.merchant_id],
    )) as [{ count: string }];
    expect(Number(count)).toBe(1);

    const listed = await apiCall(dev, "GET", "/v1/settlements");
    expect(listed.json.data.map((row: { id: string }) => row.id)).toEqual([batch.id]);
    const inBatch = await apiCall(dev, "GET", `/v1/balance_transactions?settlement=${batch.id}&limit=100`);
    expect(inBatch.json.data).toHaveLength(before.length);
    expect(inBatch.json.data.every((row: { status: string }) => row.status === "paid")).toBe(true);
    const events = await apiCall(dev, "GET", "/v1/events?limit=100");
    const types = events.json.data.filter((event: any) => event.data.object.id === batch.id).map((e: any) => e.type);
    expect(types.sort()).toEqual(["settlement.created", "settlement.paid"]);
  });

  it("puts a movement made after the cut into the next batch, never into the one cut", async () => {
    const later = await pay(700);
    await eventually(
      () => movements(dev.merchant_id),
      (rows) => rows.some((row) => row.source_id === later.id),
    );
    const again = await cut({ merchant: dev.merchant_id, livemode: false });
    // Today's batch is cut already and stands as it was: the new movement waits for the next day's.
    const batch = again.json.data.find((entry: { currency: string }) => entry.currency === "usd");
    expect(batch.id).toBe(batchId);
    expect(batch.transaction_count).toBe(5);
    expect((await movements(dev.merchant_id)).find((entry) => entry.source_id === later.id)!.status).toBe("pending");
  });

  it("is what `npm run settlement:cut` runs, against the running stack", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/settlement-cut.ts", "--test"], {
      env: {
        ...process.env,
        GATEWAY_API: dev.api,
        OPS_CLIENT_ID: dev.ops_client_id,
        OPS_CLIENT_SECRET: dev.ops_client_secret,
      },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ object: "list" });
  });

  it("runs a report in the background whose rows equal the API's list, downloaded by a short-lived signed link", async () => {
    for (const type of ["payments", "balance_transactions"] as const) {
      const created = await apiCall(dev, "POST", "/v1/reports", { json: { type } });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ object: "report", type, status: "pending", file: null });
      const ready = await eventually(
        async () => (await apiCall(dev, "GET", `/v1/reports/${created.json.id}`)).json,
        (report) => report.status === "ready",
      );
      const file = await fetch(`${dev.api}${ready.file.download_url}`);
      expect(file.status).toBe(200);
      const csv = await file.text();
      expect(createHash("sha256").update(csv).digest("hex")).toBe(ready.file.sha256);
      const [header, ...lines] = csv.trim().split("\r\n");
      expect(header!.split(",")[0]).toBe("id");
      const listed = await apiCall(dev, "GET", `/v1/${type}?limit=100`);
      expect(lines.map((line) => line.split(",")[0]).sort()).toEqual(
        listed.json.data.map((row: { id: string }) => row.id).sort(),
      );
      expect(ready.row_count).toBe(lines.length);
      // The link is the credential: a changed signature, or one for another report, opens nothing.
      const url: string = ready.file.download_url;
      const forged = `${url.slice(0, -1)}${url.endsWith("0") ? "1" : "0"}`;
      expect((await fetch(`${dev.api}${forged}`)).status).toBe(403);
    }
    const events = await apiCall(dev, "GET", "/v1/events?limit=100");
    expect(events.json.data.filter((event: { type: string }) => event.type === "report.ready")).toHaveLength(2);
  });

  it("refuses a day yet to come, naming it", async () => {
    const answer = await cut({ day: "2999-01-01" });
    expect(answer.status).toBe(400);
    expect(answer.json.error.param).toBe("day");
  });
});
