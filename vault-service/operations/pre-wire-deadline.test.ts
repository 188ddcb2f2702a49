import { setTimeout as sleep } from "node:timers/promises";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../db/schema/index.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { type InternalApiKit, operationId, startInternalApiKit } from "../internal/internal-api.test-kit.js";
import { findOperation } from "./operation-journal.js";

let kit: InternalApiKit;
const ledgerSize = () => kit.simulator.ledger.all().length;

/** The vault's database as a hanging Postgres shows it: statements matching `slow` start `delayMs` late. */
function slowed(url: string, slow: RegExp, delayMs: number): { db: VaultDatabase; close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const delayed = async (...args: unknown[]) => {
    const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (slow.test(text ?? "")) await sleep(delayMs);
    return query(...args);
  };
  pool.query = delayed as typeof pool.query;
  return { db: drizzle(pool, { schema }) as VaultDatabase, close: () => pool.end() };
}

beforeAll(async () => {
  kit = await startInternalApiKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe("the edge's deadline before the wire", () => {
  it("answers unknown before the deadline while the journal hangs, and never sends the operation afterwards", async () => {
    const slow = slowed(kit.harness.database.url, /^insert into "network_operations"/, 2_500);
    try {
      const api = kit.open({ db: slow.db });
      const token = await kit.tokenize();
      const before = ledgerSize();
      const id = operationId();
      const started = Date.now();
      const answer = await api.authorize(token, { operation_id: id, deadline: started + 2_600 });
      expect(Date.now() - started).toBeLessThan(2_600 - 1_000); // the reply margin (1.5 s) before the deadline
      expect(answer).toMatchObject({ outcome: "unknown", resolution: "inquiry", card: { last4: "4242" } });
      // The insert lands after the answer: the intent stays `recorded`, is fenced, never sent.
      await sleep(2_500);
      expect(await findOperation(kit.harness.pool.db, id)).toMatchObject({ state: "recorded" });
      expect(await kit.api.inquire(id)).toMatchObject({ outcome: "unavailable" });
      expect(await findOperation(kit.harness.pool.db, id)).toMatchObject({ state: "not_sent" });
      expect(ledgerSize()).toBe(before);
      expect(kit.harness.deps.cvcs.has(token)).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it("answers unknown before the deadline while the card cannot be read, and drops the authorization", async () => {
    const slow = slowed(kit.harness.database.url, /from "vault_cards"/, 2_500);
    try {
      const api = kit.open({ db: slow.db });
      const token = await kit.tokenize();
      const before = ledgerSize();
      const id = operationId();
      const started = Date.now();
      const answer = await api.authorize(token, { operation_id: id, deadline: started + 2_600 });
      expect(Date.now() - started).toBeLessThan(2_600 - 1_000);
      // Nothing is known of the card yet: no summary, processor or reference to give.
      expect(answer).toEqual({ outcome: "unknown", processor: null, processor_reference: null, resolution: "inquiry" });
      await sleep(2_500);
      expect(await findOperation(kit.harness.pool.db, id)).toBeUndefined();
      expect(await kit.api.inquire(id)).toMatchObject({ outcome: "unavailable", processor: null });
      expect(ledgerSize()).toBe(before);
    } finally {
      await slow.close();
    }
  });

  it("answers a capture unknown before the deadline while the journal hangs, and never sends it", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(), { amount: 2_000 });
    const slow = slowed(kit.harness.database.url, /^insert into "network_operations"/, 2_500);
    try {
      const api = kit.open({ db: slow.db });
      const id = operationId();
      const started = Date.now();
      const answer = await api.followUp("capture", auth.processor_reference, {
        operation_id: id,
        amount: 2_000,
        deadline: started + 2_600,
      });
      expect(Date.now() - started).toBeLessThan(2_600 - 1_000);
      expect(answer).toMatchObject({ outcome: "unknown", resolution: "inquiry", processor: "acquirer_a" });
      await sleep(2_500);
      expect(await kit.api.inquire(id)).toMatchObject({ outcome: "unavailable" });
      expect(kit.simulator.ledger.findByRrn(auth.processor_reference.slice(0, 12))).toMatchObject({
        status: "approved",
        capturedAmount: 0,
      });
    } finally {
      await slow.close();
    }
  });
});
