import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDevTlsMaterial } from "../../../scripts/lib/dev-tls.js";

/**
 * Issue 12, items 1 and 7, as an operator's mistake would meet them: the vault process itself,
 * started the way a deployment starts it, refuses a production configuration that would put
 * keys in a file, send live cards to a simulator or over plain TCP, or let live mode share test
 * mode's link. It refuses before it opens the database or a key, and says which setting to fix.
 */
const dir = mkdtempSync(join(tmpdir(), "vault-refusals-"));
const caFile = join(dir, "acquirer-ca.pem");
writeFileSync(caFile, createDevTlsMaterial().ca);

const base = {
  PATH: process.env.PATH ?? "",
  // Nothing listens here: a vault that got past its configuration would fail differently, later.
  DATABASE_URL: "postgres://vault:vault@127.0.0.1:9/vault",
  API_KEY_PEPPER: "pepper-pepper-pepper-pepper",
  VAULT_FINGERPRINT_SECRET: Buffer.alloc(32, 7).toString("base64"),
};
const production = {
  ...base,
  VAULT_ENVIRONMENT: "production",
  VAULT_KEY_PROVIDER: "pkcs11",
  PKCS11_LIBRARY: "/nonexistent/libhsm.so",
  PKCS11_TOKEN_LABEL: "vault",
  PKCS11_PIN: "0000",
  LIVE_ACQUIRER_A: "acquirer-a.example:5000",
  LIVE_ACQUIRER_TLS_CA_FILE: caFile,
};

/** Starts `vault-service/main.ts` as `npm start` and deployments do; returns how it ended. */
function startVault(env: Record<string, string | undefined>) {
  // Only what is given: nothing from this shell's environment can make the vault start or refuse.
  const clean = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  const run = spawnSync(process.execPath, ["--import", "tsx", "vault-service/main.ts"], {
    env: clean as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the vault refuses a production configuration that breaks a promise, at start", () => {
  it.each([
    [
      "keys in a file (the software key provider)",
      { ...production, VAULT_KEY_PROVIDER: "software", VAULT_KEK_FILE: join(dir, "keks.json") },
      /VAULT_KEY_PROVIDER: the software key provider is refused in production/,
    ],
    [
      "a simulator for live mode",
      { ...production, LIVE_NETWORK: "simulator" },
      /LIVE_NETWORK: the live network cannot be a simulator in production/,
    ],
    [
      "no live network at all",
      { ...production, LIVE_ACQUIRER_A: undefined },
      /LIVE_ACQUIRER_A: required in production/,
    ],
    [
      "live links over plain TCP",
      { ...production, LIVE_ACQUIRER_TLS_CA_FILE: undefined },
      /LIVE_ACQUIRER_TLS_CA_FILE: required in production/,
    ],
    [
      "live mode on test mode's link (any environment)",
      {
        ...base,
        VAULT_KEKS: `v1:${Buffer.alloc(32, 1).toString("base64")}`,
        LIVE_ACQUIRER_A: "127.0.0.1:8583",
      },
      /LIVE_ACQUIRER_A: a live link cannot be one of test mode's links/,
    ],
  ])("refuses %s, naming the setting", (_case, env, message) => {
    const { status, output } = startVault(env);
    expect(status).not.toBe(0);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/vault-service listening/);
  });
});
