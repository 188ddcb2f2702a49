import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { isDatabaseOutage } from "../../common/database-outage.js";
import { connect } from "./database.js";

/** The error a statement really fails with, through drizzle and node-postgres as a route sees it. */
async function failureOf(statement: ReturnType<typeof sql>, queryTimeoutMs?: number, before?: ReturnType<typeof sql>) {
  const connection = await connect(env, { queryTimeoutMs });
  try {
    if (before) await connection.db.execute(before);
    await connection.db.execute(statement);
  } catch (error) {
    return error;
  } finally {
    await connection.close().catch(() => {});
  }
  throw new Error("the statement did not fail");
}

describe("a database outage, told from a bad statement", () => {
  it("is the session killed under the query (57P01, as Postgres shutting down does)", async () => {
    const error = await failureOf(sql`select pg_terminate_backend(pg_backend_pid())`);
    expect(isDatabaseOutage(error)).toBe(true);
  });

  it("is a query that outlives the client's read timeout", async () => {
    const error = await failureOf(sql`select pg_sleep(2)`, 100);
    expect(isDatabaseOutage(error)).toBe(true);
  });

  it("is a statement timeout (57014)", async () => {
    const error = await failureOf(sql`select pg_sleep(0.5)`, undefined, sql`set statement_timeout = 50`);
    expect(isDatabaseOutage(error)).toBe(true);
  });

  it("is not a statement that is wrong, or a constraint that refuses it", async () => {
    expect(isDatabaseOutage(await failureOf(sql`select * from no_such_table`))).toBe(false);
    expect(isDatabaseOutage(await failureOf(sql`select 1/0`))).toBe(false);
    expect(isDatabaseOutage(new Error("something else"))).toBe(false);
    expect(isDatabaseOutage("Connection terminated")).toBe(false);
  });
});
