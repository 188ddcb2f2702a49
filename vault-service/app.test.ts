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
    const required = {
      DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
      API_KEY_PEPPER: "pepper-pepper-pepper-pepper",
      VAULT_FINGERPRINT_SECRET: Buffer.alloc(32, 7).toString("base64url"),
      VAULT_KEK_FILE: "/tmp/vault-keks.json",
    };
    expect(loadConfig(required)).toMatchObject({ VAULT_PORT: 8788, VAULT_CVC_TTL_SECONDS: 600 });
    expect(() => loadConfig({ ...required, VAULT_PORT: "http" })).toThrow(/VAULT_PORT/);
    expect(() => loadConfig({})).toThrow(/DATABASE_URL/);
  });

  it("refuses a CVC lifetime over 10 minutes, two KEK sources at once, and a short fingerprint secret", () => {
    const required = {
      DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
      API_KEY_PEPPER: "pepper-pepper-pepper-pepper",
      VAULT_FINGERPRINT_SECRET: Buffer.alloc(32, 7).toString("base64"),
      VAULT_KEK_FILE: "/tmp/vault-keks.json",
    };
    expect(() => loadConfig({ ...required, VAULT_CVC_TTL_SECONDS: "601" })).toThrow(/VAULT_CVC_TTL_SECONDS/);
    const kek = Buffer.alloc(32, 1).toString("base64");
    expect(() => loadConfig({ ...required, VAULT_KEKS: `v1:${kek}` })).toThrow(/exactly one/);
    expect(loadConfig({ ...required, VAULT_KEK_FILE: undefined, VAULT_KEKS: `v1:${kek}` }).VAULT_KEKS).toBe(
      `v1:${kek}`,
    );
    const short = Buffer.alloc(16, 9).toString("base64");
    expect(() => loadConfig({ ...required, VAULT_FINGERPRINT_SECRET: short })).toThrow(/VAULT_FINGERPRINT_SECRET/);
    expect(() => loadConfig({ ...required, VAULT_FINGERPRINT_SECRET: short })).not.toThrow(short);
  });

  it("refuses the software key provider in production, from the file or the environment, and names the fix", () => {
    const required = {
      DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
      API_KEY_PEPPER: "pepper-pepper-pepper-pepper",
      VAULT_FINGERPRINT_SECRET: Buffer.alloc(32, 7).toString("base64"),
      VAULT_KEK_FILE: "/tmp/vault-keks.json",
    };
    expect(loadConfig(required).VAULT_ENVIRONMENT).toBe("development");
    expect(loadConfig({ ...required, VAULT_ENVIRONMENT: "staging" }).VAULT_KEY_PROVIDER).toBe("software");
    expect(() => loadConfig({ ...required, VAULT_ENVIRONMENT: "production" })).toThrow(/VAULT_KEY_PROVIDER=pkcs11/);
    const kek = Buffer.alloc(32, 1).toString("base64");
    const fromEnv = {
      ...required,
      VAULT_KEK_FILE: undefined,
      VAULT_KEKS: `v1:${kek}`,
      VAULT_ENVIRONMENT: "production",
    };
    expect(() => loadConfig(fromEnv)).toThrow(/refused in production/);
    const hsm = { PKCS11_LIBRARY: "/lib/hsm.so", PKCS11_TOKEN_LABEL: "vault", PKCS11_PIN: "1234" };
    const production = { ...required, VAULT_KEK_FILE: undefined, VAULT_ENVIRONMENT: "production" };
    expect(loadConfig({ ...production, VAULT_KEY_PROVIDER: "pkcs11", ...hsm }).VAULT_ENVIRONMENT).toBe("production");
  });
});
