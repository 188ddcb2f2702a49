import { createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../workers/audit/audit-entry.js";
import worker from "../../workers/index.js";
import { queueRole } from "../../workers/queues/queue-router.js";

function entry(id: string): AuditEntry {
  return {
    id,
    at: "2026-11-25T10:00:00.000Z",
    action: "api_key.revoked",
    target_id: "key_x",
    actor: { kind: "api_key", id: "key_y", merchant_id: "acct_z" },
    request_id: "req_1",
    details: {},
  };
}

async function auditObjects(): Promise<string[]> {
  const listed = await env.AUDIT_BUCKET.list({ prefix: "audit/2026/11/25/" });
  return Promise.all(listed.objects.map(async (object) => (await env.AUDIT_BUCKET.get(object.key))!.text()));
}

describe("audit-log consumer", () => {
  it("writes a batch to R2 as NDJSON, and a redelivered batch to the same object", async () => {
    const messages = [entry("aud_1"), entry("aud_2")].map((body, i) => ({
      id: `m${i}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    }));
    for (let delivery = 0; delivery < 2; delivery++) {
      const batch = createMessageBatch<AuditEntry>("audit-log", messages);
      const ctx = (await import("cloudflare:test")).createExecutionContext();
      await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result).toMatchObject({ outcome: "ok", ackAll: true, retryBatch: { retry: false } });
    }
    const objects = await auditObjects();
    expect(objects).toHaveLength(1);
    expect(
      objects[0]!
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).id),
    ).toEqual(["aud_1", "aud_2"]);
  });

  it("knows every queue role, with or without an environment suffix, and no other", () => {
    expect(queueRole("audit-log-staging")).toBe("audit-log");
    expect(queueRole("payment-events")).toBe("payment-events");
    expect(() => queueRole("payments")).toThrow(/no consumer/);
  });
});
