import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUDGETS } from "../../common/timeout-budgets.js";
import { startTestPostgres, type TestPostgres } from "../../test/support/test-postgres.js";
import { openVaultDatabase } from "./vault-database.js";

let database: TestPostgres;
let silent: Server;

/** Elapsed ms of `work`, which must fail. */
async function failsWithin(work: () => Promise<unknown>): Promise<{ ms: number; error: Error & { code?: string } }> {
  const started = Date.now();
  try {
    await work();
  } catch (error) {
    return { ms: Date.now() - started, error: error as Error };
  }
  throw new Error("expected it to fail");
}

beforeAll(async () => {
  database = await startTestPostgres({ migrate: false });
  // A host that takes the TCP connection and never says a word: a paused or wedged Postgres.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  silent?.close();
  await database?.stop();
});

describe("the vault's Postgres pool", () => {
  it("bounds every statement by the journal's budget unless told otherwise", () => {
    const pool = openVaultDatabase(database.url);
    const options = pool.db.$client.options as { statement_timeout?: number; connectionTimeoutMillis?: number };
    expect(options).toMatchObject({
      statement_timeout: BUDGETS.vaultJournalMs,
      connectionTimeoutMillis: BUDGETS.vaultJournalMs,
    });
    return pool.close();
  });

  it("has Postgres cancel a statement that outlives its budget, and goes on serving", async () => {
    const pool = openVaultDatabase(database.url, { max: 1, statementMs: 300 });
    try {
      const { ms, error } = await failsWithin(() => pool.db.$client.query("select pg_sleep(5)"));
      expect(error.code).toBe("57014"); // query_canceled
      expect(ms).toBeLessThan(1_500);
      await pool.ping();
    } finally {
      await pool.close();
    }
  });

  it("gives up on a server that stops answering mid-statement", async () => {
    const pool = openVaultDatabase(database.url, { max: 1, statementMs: 300 });
    try {
      // Postgres's own timer off for this session: only the client's is left, as with a paused server.
      await pool.db.$client.query("set statement_timeout = 0");
      const { ms, error } = await failsWithin(() => pool.db.$client.query("select pg_sleep(5)"));
      expect(error.message).toMatch(/timeout/i);
      expect(ms).toBeLessThan(1_500);
    } finally {
      await pool.close();
    }
  });

  it("gives up on a server that takes the connection and never answers", async () => {
    const address = silent.address() as { port: number };
    const pool = openVaultDatabase(`postgres://vault@127.0.0.1:${address.port}/vault`, { statementMs: 300 });
    try {
      const { ms, error } = await failsWithin(() => pool.ping());
      expect(error.message).toMatch(/timeout/i);
      expect(ms).toBeLessThan(1_500);
    } finally {
      await pool.close();
    }
  });
});
