import { describe, expect, it } from "vitest";
import { query } from "../test/support/sql-client.js";
import { startTestPostgres } from "../test/support/test-postgres.js";
import { createVaultApp } from "./app.js";
import { loadConfig } from "./config.js";

describe("vault-service", () => {
  it("reports healthy when its database answers, and degraded (503) when it does not", async () => {
    const database = await startTestPostgres({ migrate: false });
    try {
      const healthy = await createVaultApp(async () => void (await query(database.url, "select 1"))).request("/health");
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({ status: "ok", database: "ok" });
    } finally {
      await database.stop();
    }
    const down = await createVaultApp(async () => {
      throw new Error("connection refused");
    }).request("/health");
    expect(down.status).toBe(503);
    expect(JSON.stringify(await down.json())).not.toContain("connection refused");
  });

  it("reads its configuration once, with defaults, and names a bad setting", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" })).toMatchObject({ VAULT_PORT: 8788 });
    expect(() => loadConfig({ DATABASE_URL: "postgres://u:p@127.0.0.1/db", VAULT_PORT: "http" })).toThrow(/VAULT_PORT/);
    expect(() => loadConfig({})).toThrow(/DATABASE_URL/);
  });
});
