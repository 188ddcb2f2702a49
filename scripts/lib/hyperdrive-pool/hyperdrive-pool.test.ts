import { connect } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../../test/support/test-postgres.js";
import { freePort } from "../free-port.js";
import { type RunningHyperdrivePool, startHyperdrivePool } from "./pool-server.js";
import { frontend } from "./wire.js";

let database: TestPostgres;
let pool: RunningHyperdrivePool;
/** Straight to Postgres: what the test looks at behind the pool's back. */
let direct: pg.Client;

async function client(url = pool.url, config: pg.ClientConfig = {}): Promise<pg.Client> {
  const opened = new pg.Client({ connectionString: url, ...config });
  opened.on("error", () => {});
  await opened.connect();
  return opened;
}

const backendPid = async (session: pg.Client) =>
  (await session.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]?.pid;

/** Whether Postgres still runs a backend with this pid. */
const alive = async (pid: number | undefined) =>
  (await direct.query("select 1 from pg_stat_activity where pid = $1", [pid])).rowCount === 1;

async function until(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A session back in the pool only after its reset: the next client should find it idle. */
const settled = () => until(async () => pool.stats().in_use === 0);

beforeAll(async () => {
  database = await startTestPostgres({ migrate: false });
  pool = await startHyperdrivePool(database.url, await freePort(), { max: 3, idleMax: 2 });
  direct = await client(database.url);
  await direct.query("create table if not exists pool_probe (id int primary key)");
});

afterAll(async () => {
  await direct?.end();
  await pool?.close();
  await database?.stop();
});

describe("local Hyperdrive: kept Postgres sessions for the edge (scripts/lib/hyperdrive-pool)", () => {
  it("lends the next client the session the last one left, with the origin's start-up parameters", async () => {
    const first = await client();
    const pid = await backendPid(first);
    expect((await first.query("show server_version")).rows[0].server_version).toMatch(/^\d+/);
    await first.end();
    await settled();
    const opened = pool.stats().opened_total;
    const second = await client();
    expect(await backendPid(second)).toBe(pid);
    expect(pool.stats().opened_total).toBe(opened);
    expect(pool.stats().reused_total).toBeGreaterThan(0);
    await second.end();
  });

  it("hands on a clean session: settings, temporary tables, prepared statements and advisory locks are gone", async () => {
    const first = await client();
    const pid = await backendPid(first);
    await first.query("set work_mem = '7MB'");
    await first.query("create temp table scratch (x int)");
    await first.query({ name: "named_probe", text: "select 1" });
    await first.query("select pg_advisory_lock(4242)");
    await first.end();
    await settled();
    const second = await client();
    expect(await backendPid(second)).toBe(pid);
    expect((await second.query("show work_mem")).rows[0].work_mem).toBe("4MB");
    expect((await second.query("select count(*)::int as n from pg_tables where tablename = 'scratch'")).rows[0].n).toBe(
      0,
    );
    expect((await second.query("select count(*)::int as n from pg_prepared_statements")).rows[0].n).toBe(0);
    expect((await direct.query("select pg_try_advisory_lock(4242) as got")).rows[0].got).toBe(true);
    await direct.query("select pg_advisory_unlock(4242)");
    await second.end();
  });

  it("closes a session its client left inside a transaction: nothing it wrote survives, nobody gets it", async () => {
    await settled();
    const leaving = await client();
    const pid = await backendPid(leaving);
    await leaving.query("begin");
    await leaving.query("insert into pool_probe values (1)");
    (leaving as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await until(async () => !(await alive(pid)));
    expect((await direct.query("select count(*)::int as n from pool_probe")).rows[0].n).toBe(0);
    const next = await client();
    expect(await backendPid(next)).not.toBe(pid);
    await next.end();
  });

  it("cancels the query of a client that left mid-statement, and never lends that session", async () => {
    await settled();
    const leaving = await client();
    const pid = await backendPid(leaving);
    void leaving.query("select pg_sleep(30)").catch(() => {});
    await until(
      async () =>
        (
          await direct.query(
            "select 1 from pg_stat_activity where pid = $1 and query like 'select pg_sleep%' and state = 'active'",
            [pid],
          )
        ).rowCount === 1,
    );
    (leaving as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await until(async () => !(await alive(pid)), 3_000);
  });

  it("passes a client's CancelRequest to the origin session it holds", async () => {
    await settled();
    const session = await client();
    const { processID, secretKey } = session as unknown as { processID: number; secretKey: number };
    const sleeping = session.query("select pg_sleep(30)").then(
      () => "finished",
      (error: Error) => error.message,
    );
    await until(
      async () =>
        (await direct.query("select 1 from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'"))
          .rowCount === 1,
    );
    const port = Number(new URL(pool.url).port);
    const cancel = connect(port, "127.0.0.1");
    cancel.on("error", () => {});
    cancel.end(frontend.cancelRequest(processID, secretKey));
    expect(await sleeping).toMatch(/canceling statement due to user request/);
    await session.end();
  });

  it("refuses a wrong password or database as Postgres would, without reaching the origin", async () => {
    const opened = pool.stats().opened_total;
    const wrongPassword = new URL(pool.url);
    wrongPassword.password = "not-the-password";
    await expect(client(wrongPassword.toString())).rejects.toThrow(/password authentication failed/);
    const wrongDatabase = new URL(pool.url);
    wrongDatabase.pathname = "/another";
    await expect(client(wrongDatabase.toString())).rejects.toThrow(/no pooled database/);
    expect(pool.stats().opened_total).toBe(opened);
  });

  it("keeps sessions started with other parameters apart (a statement_timeout is not lent to others)", async () => {
    await settled();
    const bounded = await client(pool.url, { statement_timeout: 1234 });
    expect((await bounded.query("show statement_timeout")).rows[0].statement_timeout).toBe("1234ms");
    await bounded.end();
    await settled();
    const plain = await client();
    expect((await plain.query("show statement_timeout")).rows[0].statement_timeout).toBe("0");
    await plain.end();
  });

  it("drops a kept session Postgres ends (a restart, pg_terminate_backend), and the next client gets a live one", async () => {
    await settled();
    const first = await client();
    const pid = await backendPid(first);
    await first.end();
    await settled();
    await direct.query("select pg_terminate_backend($1)", [pid]);
    await until(async () => !(await alive(pid)));
    const next = await client();
    expect(await backendPid(next)).not.toBe(pid);
    expect((await next.query("select 1 as one")).rows[0].one).toBe(1);
    await next.end();
  });

  it("at its limit, a client waits for a session to come back rather than failing", async () => {
    await settled();
    const held = [await client(), await client(), await client()];
    let third = false;
    const waiting = client().then((session) => {
      third = true;
      return session;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(third).toBe(false);
    expect(pool.stats().waiting).toBe(1);
    await held[0]?.end();
    const late = await waiting;
    expect((await late.query("select 1 as one")).rows[0].one).toBe(1);
    for (const session of [...held.slice(1), late]) await session.end();
  });
});
