import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../test/support/test-postgres.js";
import { openVaultDatabase, type VaultPool } from "../db/vault-database.js";
import { JtiReplayGuard } from "./jti-replay-guard.js";

let database: TestPostgres;
let one: VaultPool;
let two: VaultPool;
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

beforeAll(async () => {
  database = await startTestPostgres();
  one = openVaultDatabase(database.url, 2);
  two = openVaultDatabase(database.url, 2);
});

afterAll(async () => {
  await one?.close();
  await two?.close();
  await database?.stop();
});

describe("the edge token replay guard", () => {
  it("accepts a jti once, on any replica sharing the database", async () => {
    const first = new JtiReplayGuard(one.db);
    const second = new JtiReplayGuard(two.db);
    expect(await first.accept("jti-shared", inAMinute())).toBe("first use");
    expect(await first.accept("jti-shared", inAMinute())).toBe("replayed");
    expect(await second.accept("jti-shared", inAMinute())).toBe("replayed");
    expect(await second.accept("jti-other", inAMinute())).toBe("first use");
  });

  it("forgets only jtis whose tokens have expired, in a sweep", async () => {
    const guard = new JtiReplayGuard(one.db);
    const now = Math.floor(Date.now() / 1000);
    expect(await guard.accept("jti-expired", now - 1)).toBe("first use");
    expect(await guard.accept("jti-live", now + 60)).toBe("first use");
    expect(await guard.sweep(new Date(now * 1000))).toBeGreaterThanOrEqual(1);
    expect(await guard.accept("jti-live", now + 60)).toBe("replayed");
  });

  it("refuses every token when its database cannot be reached (fails closed)", async () => {
    const unreachable = openVaultDatabase("postgres://vault@127.0.0.1:9/vault", { max: 1, statementMs: 300 });
    try {
      expect(await new JtiReplayGuard(unreachable.db).accept("jti-unknowable", inAMinute())).toBe(
        "replay store unavailable",
      );
    } finally {
      await unreachable.close();
    }
  });
});
