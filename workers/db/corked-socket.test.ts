import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import pg from "pg";
import { CloudflareSocket } from "pg-cloudflare";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CorkedSocket } from "./corked-socket.js";
import { connect } from "./database.js";

afterEach(() => vi.restoreAllMocks());

/** How many socket writes one query with parameters takes on a client over `socket`. */
async function writesForOneQuery(socket: CloudflareSocket): Promise<number> {
  const client = new pg.Client({
    connectionString: env.HYPERDRIVE.connectionString,
    stream: () => socket as never,
  });
  client.on("error", () => {});
  await client.connect();
  try {
    const writes = vi.spyOn(CloudflareSocket.prototype, "write");
    const result = await client.query("select $1::int * 2 as doubled", [21]);
    expect(result.rows).toEqual([{ doubled: 42 }]);
    const count = writes.mock.calls.length;
    writes.mockRestore();
    return count;
  } finally {
    await client.end();
  }
}

describe("the edge's Postgres socket (through Hyperdrive)", () => {
  it("is pg-cloudflare's, with node-postgres' cork: a query's five messages in one write", async () => {
    // Parse, Bind, Describe, Execute and Sync.
    expect(await writesForOneQuery(new CloudflareSocket(false))).toBe(5);
    expect(await writesForOneQuery(new CorkedSocket(false))).toBe(1);
  });

  it("is what connect() uses: a query with parameters is one write, and its answer is read", async () => {
    const connection = await connect(env);
    try {
      const writes = vi.spyOn(CloudflareSocket.prototype, "write");
      const result = await connection.db.execute<{ sum: number; text: string }>(
        sql`select ${20}::int + ${22}::int as sum, ${"a'b"}::text as text`,
      );
      expect(result.rows).toEqual([{ sum: 42, text: "a'b" }]);
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      await connection.close();
    }
  });

  it("keeps concurrent queries, a failed one between them, each with its own answer", async () => {
    const connection = await connect(env);
    try {
      const answers = await Promise.allSettled([
        connection.db.execute<{ n: number }>(sql`select ${1}::int as n`),
        connection.db.execute(sql`select ${"x"}::int as n`), // invalid input for integer
        connection.db.execute<{ n: number }>(sql`select ${3}::int as n, pg_sleep(0.05)`),
        connection.db.execute<{ n: number }>(sql`select ${4}::int as n`),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
      const n = (i: number) => (answers[i] as PromiseFulfilledResult<{ rows: { n: number }[] }>).value.rows[0]?.n;
      expect([n(0), n(2), n(3)]).toEqual([1, 3, 4]);
    } finally {
      await connection.close();
    }
  });
});
