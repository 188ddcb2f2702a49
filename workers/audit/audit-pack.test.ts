import { describe, expect, it } from "vitest";
import type { AuditEntry } from "./audit-entry.js";
import { PACK_BYTES, packAudit } from "./audit-pack.js";

const entry = (n: number, detail = ""): AuditEntry => ({
  id: `aud_${n}`,
  at: "2026-12-03T00:00:00.000Z",
  action: "payment.captured",
  target_id: `pay_${n}`,
  actor: { kind: "system", id: "payment-orchestrator", merchant_id: "acct_1" },
  request_id: null,
  details: { note: detail },
});

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe("audit packs", () => {
  it("puts a projection batch's entries in one message", () => {
    const entries = Array.from({ length: 100 }, (_, n) => entry(n));
    const batches = packAudit(entries);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(1);
    expect(batches[0]?.[0]).toEqual({ kind: "audit_pack", entries });
  });

  it("keeps every message and sendBatch within Queues' limits, in order, nothing lost", () => {
    // 600 entries of about 1.7 KB (é is two bytes in UTF-8): about 1 MB in all.
    const entries = Array.from({ length: 600 }, (_, n) => entry(n, "é".repeat(800)));
    const batches = packAudit(entries);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(100);
      expect(bytes(batch)).toBeLessThanOrEqual(256_000);
      for (const pack of batch) expect(bytes(pack)).toBeLessThanOrEqual(Math.min(PACK_BYTES, 128_000));
    }
    expect(batches.flat().flatMap((pack) => pack.entries)).toEqual(entries);
    expect(batches.flat().length).toBeGreaterThan(1);
  });

  it("sends nothing for no entries", () => {
    expect(packAudit([])).toEqual([]);
  });
});
