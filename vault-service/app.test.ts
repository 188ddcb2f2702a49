import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDevTlsMaterial } from "../scripts/lib/dev-tls.js";
import { query } from "../test/support/sql-client.js";
import { startTestPostgres } from "../test/support/test-postgres.js";
import { createVaultApp } from "./app.js";
import { loadConfig } from "./config.js";
import { TokenBuckets } from "./rate-limits/token-buckets.js";

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
    const production = { ...required, VAULT_KEK_FILE: undefined, VAULT_ENVIRONMENT: "production", ...LIVE_LINKS };
    expect(loadConfig({ ...production, VAULT_KEY_PROVIDER: "pkcs11", ...hsm }).VAULT_ENVIRONMENT).toBe("production");
  });

  it("limits the card frame per client before it looks up the key a stranger names", async () => {
    let lookups = 0;
    const app = createVaultApp(async () => {}, {
      browser: {
        origins: async () => {
          lookups += 1;
          return null;
        },
        perClient: new TokenBuckets({ perSecond: 1, burst: 2 }),
      },
    });
    const frame = () => app.request(`/elements/card?key=pk_test_${"a".repeat(32)}&origin=https://shop.example`);
    expect((await frame()).status).toBe(403);
    expect((await frame()).status).toBe(403);
    const refused = await frame();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(lookups).toBe(2);
    expect((await app.request("/pay.js")).status).toBe(200); // the script itself is static and not limited
  });

  it("keeps test mode's and live mode's processor links apart, and refuses a simulator for live mode in production", () => {
    const required = {
      DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
      API_KEY_PEPPER: "pepper-pepper-pepper-pepper",
      VAULT_FINGERPRINT_SECRET: Buffer.alloc(32, 7).toString("base64"),
      VAULT_KEK_FILE: "/tmp/vault-keks.json",
    };
    // Outside production live mode may have no links (its operations are then unavailable).
    expect(loadConfig(required).LIVE_ACQUIRER_A).toBeUndefined();
    expect(loadConfig(required)).toMatchObject({
      LIVE_NETWORK: "acquirer",
      ACQUIRER_A: "127.0.0.1:8583",
      ACQUIRER_B: "127.0.0.1:8593",
      AGGREGATOR_URL: "http://127.0.0.1:8591",
      LIVE_VISA_TERMINAL_ID: "GWVISL01",
      LIVE_MASTERCARD_TERMINAL_ID: "GWMCL001",
      ACQUIRER_B_VISA_TERMINAL_ID: "GWBVIS01",
      LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID: "GWBMCL01",
    });
    // Acquirer A's per-network names from before there were two acquirers: both, or neither.
    expect(() => loadConfig({ ...required, LIVE_VISA_ACQUIRER: "live.example:8585" })).toThrow(
      /LIVE_VISA_ACQUIRER: set LIVE_ACQUIRER_A, or both/,
    );
    const withLive = { ...required, ...LIVE_LINKS, LIVE_NETWORK: "simulator" };
    expect(loadConfig(withLive).LIVE_ACQUIRER_A).toBe("live-acquirer.example:8583");
    // A live link that is one of test mode's (either acquirer's), in any environment.
    expect(() => loadConfig({ ...withLive, LIVE_ACQUIRER_A: "127.0.0.1:8583" })).toThrow(
      /LIVE_ACQUIRER_A: a live link cannot be one of test mode's links/,
    );
    expect(() => loadConfig({ ...withLive, LIVE_ACQUIRER_B: "127.0.0.1:8593" })).toThrow(
      /LIVE_ACQUIRER_B: a live link cannot be one of test mode's links/,
    );
    expect(() => loadConfig({ ...withLive, ACQUIRER_B: "LIVE-acquirer.example:8583" })).toThrow(
      /LIVE_ACQUIRER_A: a live link cannot be one of test mode's links/,
    );
    expect(() =>
      loadConfig({ ...withLive, LIVE_MASTERCARD_ACQUIRER: "127.0.0.1:8583", LIVE_VISA_ACQUIRER: "x:1" }),
    ).toThrow(/LIVE_MASTERCARD_ACQUIRER: a live link cannot be one of test mode's links/);
    // A terminal shared by two links: modes, networks or acquirers.
    expect(() => loadConfig({ ...withLive, LIVE_VISA_TERMINAL_ID: "GWVISA01" })).toThrow(
      /LIVE_VISA_TERMINAL_ID: a terminal id cannot be another link's/,
    );
    expect(() => loadConfig({ ...withLive, MASTERCARD_TERMINAL_ID: "GWMCL001" })).toThrow(
      /LIVE_MASTERCARD_TERMINAL_ID: a terminal id cannot be another link's/,
    );
    expect(() => loadConfig({ ...withLive, ACQUIRER_B_VISA_TERMINAL_ID: "GWVISA01" })).toThrow(
      /ACQUIRER_B_VISA_TERMINAL_ID: a terminal id cannot be another link's/,
    );
    // The aggregator: test mode's key is a test key; live mode's link is its own, and whole.
    expect(() => loadConfig({ ...required, AGGREGATOR_SECRET_KEY: "sk_live_0123456789abcdefghij" })).toThrow(
      /AGGREGATOR_SECRET_KEY: must be an sk_test_ key/,
    );
    expect(() => loadConfig({ ...required, LIVE_AGGREGATOR_URL: "https://api.stripe.example" })).toThrow(
      /LIVE_AGGREGATOR_SECRET_KEY: required with LIVE_AGGREGATOR_URL/,
    );
    expect(() =>
      loadConfig({
        ...required,
        LIVE_AGGREGATOR_URL: "http://127.0.0.1:8591",
        LIVE_AGGREGATOR_SECRET_KEY: "sk_live_0123456789abcdefghij",
      }),
    ).toThrow(/LIVE_AGGREGATOR_URL: a live link cannot be one of test mode's links/);
    // Production: a real HSM, and live links that reach the card networks.
    const hsm = {
      VAULT_KEY_PROVIDER: "pkcs11",
      PKCS11_LIBRARY: "/lib/hsm.so",
      PKCS11_TOKEN_LABEL: "v",
      PKCS11_PIN: "1",
    };
    const production = { ...required, ...hsm, VAULT_KEK_FILE: undefined, VAULT_ENVIRONMENT: "production" };
    expect(() => loadConfig(production)).toThrow(/LIVE_ACQUIRER_A: required in production/);
    expect(() =>
      loadConfig({
        ...production,
        ...LIVE_LINKS,
        LIVE_AGGREGATOR_URL: "http://aggregator.example",
        LIVE_AGGREGATOR_SECRET_KEY: "sk_live_0123456789abcdefghij",
      }),
    ).toThrow(/LIVE_AGGREGATOR_URL: must be https in production/);
    expect(() => loadConfig({ ...production, ...LIVE_LINKS, LIVE_NETWORK: "simulator" })).toThrow(
      /LIVE_NETWORK: the live network cannot be a simulator in production/,
    );
    expect(loadConfig({ ...production, ...LIVE_LINKS }).LIVE_NETWORK).toBe("acquirer");
  });

  it("requires TLS on live mode's links in production, trusting a CA certificate file it can read", () => {
    const production = {
      DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
      API_KEY_PEPPER: "pepper-pepper-pepper-pepper",
      VAULT_FINGERPRINT_SECRET: Buffer.alloc(32, 7).toString("base64"),
      VAULT_ENVIRONMENT: "production",
      VAULT_KEY_PROVIDER: "pkcs11",
      PKCS11_LIBRARY: "/lib/hsm.so",
      PKCS11_TOKEN_LABEL: "v",
      PKCS11_PIN: "1",
      ...LIVE_LINKS,
    };
    expect(() => loadConfig({ ...production, LIVE_ACQUIRER_TLS_CA_FILE: undefined })).toThrow(
      /LIVE_ACQUIRER_TLS_CA_FILE: required in production/,
    );
    expect(() => loadConfig({ ...production, LIVE_ACQUIRER_TLS_CA_FILE: "/nonexistent/ca.pem" })).toThrow(
      /LIVE_ACQUIRER_TLS_CA_FILE: must be a readable PEM certificate file/,
    );
    expect(() => loadConfig({ ...production, ACQUIRER_TLS_CA_FILE: "/etc/hostname" })).toThrow(
      /ACQUIRER_TLS_CA_FILE: must be a readable PEM certificate file/,
    );
    expect(loadConfig(production).LIVE_ACQUIRER_TLS_CA_FILE).toBe(CA_FILE);
  });
});

/** An acquirer CA certificate file, as production's live links need one. */
const CA_FILE = join(mkdtempSync(join(tmpdir(), "acquirer-ca-")), "ca.pem");
writeFileSync(CA_FILE, createDevTlsMaterial().ca);

const LIVE_LINKS = {
  LIVE_ACQUIRER_A: "live-acquirer.example:8583",
  LIVE_ACQUIRER_TLS_CA_FILE: CA_FILE,
};
