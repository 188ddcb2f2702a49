import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index.js";
import type { RequestSummary } from "../../workers/request-logs/request-summary.js";
import { call, expectError, liveSecretKey, newMerchant } from "./support/api.js";

async function logsOf(key: string, query = "") {
  return (await call("GET", `/v1/request_logs${query}`, { key })).json.data as Record<string, unknown>[];
}

/** The summaries arrive through the audit-log queue: poll until `count` are there. */
async function eventually(key: string, query: string, count: number) {
  const deadline = Date.now() + 15_000;
  let rows = await logsOf(key, query);
  while (rows.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    rows = await logsOf(key, query);
  }
  return rows;
}

describe("request logs", () => {
  it("keep a redacted summary of each of the merchant's requests, filtered by status and path", async () => {
    const { secretKey, secretKeyId } = await newMerchant();
    const other = await newMerchant();
    // Without a valid key there is no merchant: the request is in no merchant's log.
    const forged = `${secretKey.slice(0, -1)}${secretKey.endsWith("Z") ? "Y" : "Z"}`;
    expect((await call("GET", "/v1/webhook_endpoints", { key: forged })).status).toBe(401);
    expect((await call("GET", "/v1/webhook_endpoints", { key: secretKey })).status).toBe(200);
    expectError(
      await call("GET", `/v1/payments/pay_${"0".repeat(64)}`, { key: secretKey }),
      404,
      "invalid_request_error",
    );
    expectError(
      await call("POST", "/v1/webhook_endpoints", {
        key: secretKey,
        body: { url: "nope" },
        headers: { "Api-Version": "2026-11-01" },
      }),
      400,
      "invalid_request_error",
    );

    const notFound = await eventually(secretKey, "?status=404", 1);
    expect(notFound).toHaveLength(1);
    expect(notFound[0]).toMatchObject({
      object: "request_log",
      livemode: false,
      method: "GET",
      path: `/v1/payments/pay_${"0".repeat(64)}`,
      status: 404,
      error_code: "resource_missing",
      api_key: secretKeyId,
      api_version: "2026-11-25",
    });
    const endpoints = await eventually(secretKey, "?path=/v1/webhook_endpoints", 2);
    expect(endpoints.map((row) => `${row.method} ${row.status} ${row.error_code} ${row.api_version}`).sort()).toEqual([
      "GET 200 null 2026-11-25",
      "POST 400 parameter_invalid 2026-11-01",
    ]);
    expect(JSON.stringify(endpoints)).not.toContain(secretKey);

    // Another merchant's log has none of it (only its own request for the log itself, later).
    const theirs = await logsOf(other.secretKey);
    expect(theirs.every((row) => row.api_key !== secretKeyId)).toBe(true);
    expectError(
      await call("GET", "/v1/request_logs?status=42", { key: secretKey }),
      400,
      "invalid_request_error",
      "status",
    );
  });

  it("file a summary queued before modes under its key's mode", async () => {
    const { id: merchantId, secretKey } = await newMerchant();
    const live = await liveSecretKey(merchantId);
    const id = `req_beforemodes${Date.now()}`;
    const summary: RequestSummary = {
      kind: "request",
      id,
      at: new Date().toISOString(),
      merchant_id: merchantId,
      api_key_id: live.id,
      method: "GET",
      path: "/v1/before-modes",
      status: 200,
      latency_ms: 3,
      error_code: null,
    };
    const batch = createMessageBatch<RequestSummary>("audit-log", [
      { id: "m-before-modes", timestamp: new Date(), attempts: 1, body: summary },
    ]);
    const ctx = createExecutionContext();
    await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
    expect(await getQueueResult(batch, ctx)).toMatchObject({ outcome: "ok", ackAll: true });

    expect((await logsOf(live.secret, "?path=/v1/before-modes")).map((row) => [row.id, row.livemode])).toEqual([
      [id, true],
    ]);
    expect(await logsOf(secretKey, "?path=/v1/before-modes")).toEqual([]);
  });
});
