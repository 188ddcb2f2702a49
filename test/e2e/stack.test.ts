import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, isPortFree } from "../../scripts/lib/free-port.js";
import { PROJECT_ROOT } from "../../scripts/lib/start-config.js";
import { vaultToken } from "../../workers/vault/vault-token.js";
import { type DevJson, opsToken, request, tokenize as tokenizeCardAs } from "../support/running-stack.js";
import { findSecrets } from "../support/secret-scan.js";
import { CVC_FIELD, stackWritings } from "../support/stack-scan.js";

/**
 * Boots the stack exactly as `npm start` does (same script, its own data directory and ports)
 * and uses it over HTTP like a merchant and an operator would.
 */
interface Stack {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const dataDir = mkdtempSync(join(tmpdir(), "gateway-e2e-"));
const PORT_NAMES = [
  "API_PORT",
  "VAULT_PORT",
  "POSTGRES_PORT",
  "INSPECTOR_PORT",
  "ACQUIRER_ISO_PORT",
  "ACQUIRER_ADMIN_PORT",
  "ACQUIRER_B_ISO_PORT",
  "ACQUIRER_B_ADMIN_PORT",
  "LIVE_ACQUIRER_ISO_PORT",
  "LIVE_ACQUIRER_ADMIN_PORT",
  "AGGREGATOR_PORT",
  "AGGREGATOR_ADMIN_PORT",
  "UPI_SWITCH_PORT",
  "UPI_SWITCH_ADMIN_PORT",
  "WALLET_PORT",
  "WALLET_ADMIN_PORT",
  "MERCHANT_PORT",
  "STACK_ADMIN_PORT",
  "HYPERDRIVE_PORT",
] as const;
let ports: Record<(typeof PORT_NAMES)[number], number>;
let stack: Stack | undefined;
let dev: DevJson;
/** Every credential the test saw issued; none may appear in a log or in Postgres in clear. */
const issued: string[] = [];

function launch(): Stack {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      DATA_DIR: dataDir,
      GATEWAY_ECHO_LOGS: "0",
      // The vault's response timer per network (10 s / 12 s in production settings).
      CARD_NETWORK_TIMEOUT_MS: "1500",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function ready(s: Stack): Promise<DevJson> {
  const deadline = Date.now() + 170_000;
  while (!s.output().includes("READY ")) {
    if (s.child.exitCode !== null) throw new Error(`npm start exited early:\n${s.output()}`);
    if (Date.now() > deadline) throw new Error(`npm start not ready in time:\n${s.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return JSON.parse(readFileSync(join(dataDir, "dev.json"), "utf8")) as DevJson;
}

async function stop(s: Stack): Promise<number | null> {
  s.child.kill("SIGINT");
  return s.exited;
}

const api = (path: string, init: Parameters<typeof request>[2] = {}) => request(dev, path, init);

const TEST_PAN = "4242424242424242";
let firstFingerprint: string | undefined;

const tokenize = (key: string | undefined, number = TEST_PAN) => tokenizeCardAs(dev, key, number);

beforeAll(async () => {
  const free = new Set<number>();
  while (free.size < PORT_NAMES.length) free.add(await freePort());
  ports = Object.fromEntries(PORT_NAMES.map((name, i) => [name, [...free][i]])) as typeof ports;
});

afterAll(async () => {
  if (stack && stack.child.exitCode === null) await stop(stack);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start, end to end", () => {
  it("boots the whole stack and answers GET /v1/merchant with the printed key", async () => {
    const started = Date.now();
    stack = launch();
    dev = await ready(stack);
    const printed = /Secret key\s+(sk_test_[0-9A-Za-z]{32})/.exec(stack.output())?.[1];
    expect(printed).toBe(dev.secret_key);
    expect(/Publishable key\s+(pk_test_[0-9A-Za-z]{32})/.exec(stack.output())?.[1]).toBe(dev.publishable_key);
    const merchant = await api("/v1/merchant", { key: printed });
    expect(merchant.status).toBe(200);
    expect(merchant.json).toMatchObject({ id: dev.merchant_id, object: "merchant" });
    console.log(`stack answered GET /v1/merchant ${((Date.now() - started) / 1000).toFixed(1)} s after start`);
    expect(Object.keys(dev)).toEqual(
      expect.arrayContaining(["api", "vault", "database_url", "secret_key", "publishable_key"]),
    );
    expect((await fetch(`${dev.vault}/health`)).status).toBe(200);
    issued.push(dev.secret_key, dev.publishable_key, dev.ops_client_secret);
  });

  it("gives the demo merchant live keys too, and runs live mode's own acquirer beside the test one", async () => {
    const output = stack!.output();
    expect(/Live secret key\s+(sk_live_[0-9A-Za-z]{32})/.exec(output)?.[1]).toBe(dev.live_secret_key);
    expect(/Live publishable key\s+(pk_live_[0-9A-Za-z]{32})/.exec(output)?.[1]).toBe(dev.live_publishable_key);
    issued.push(dev.live_secret_key, dev.live_publishable_key);
    const merchant = await api("/v1/merchant", { key: dev.live_secret_key });
    expect(merchant.status).toBe(200);
    expect(merchant.json.id).toBe(dev.merchant_id);

    expect(dev).toMatchObject({
      acquirer_admin: `http://127.0.0.1:${ports.ACQUIRER_ADMIN_PORT}`,
      acquirer_iso: `127.0.0.1:${ports.ACQUIRER_ISO_PORT}`,
      acquirer_a_admin: `http://127.0.0.1:${ports.ACQUIRER_ADMIN_PORT}`,
      acquirer_a_iso: `127.0.0.1:${ports.ACQUIRER_ISO_PORT}`,
      acquirer_b_admin: `http://127.0.0.1:${ports.ACQUIRER_B_ADMIN_PORT}`,
      acquirer_b_iso: `127.0.0.1:${ports.ACQUIRER_B_ISO_PORT}`,
      live_acquirer_admin: `http://127.0.0.1:${ports.LIVE_ACQUIRER_ADMIN_PORT}`,
      live_acquirer_iso: `127.0.0.1:${ports.LIVE_ACQUIRER_ISO_PORT}`,
    });
    expect(output).toContain(`Acquirer A (test)           ${dev.acquirer_iso} (ISO 8583), admin ${dev.acquirer_admin}`);
    expect(output).toContain(
      `Acquirer B (test)           ${dev.acquirer_b_iso} (ISO 8583), admin ${dev.acquirer_b_admin}`,
    );
    expect(output).toContain(
      `Acquirer A (live stand-in)  ${dev.live_acquirer_iso} (ISO 8583 over TLS), admin ${dev.live_acquirer_admin}`,
    );
    const health = async (admin: string) => (await (await fetch(`${admin}/health`)).json()) as Record<string, any>;
    expect(await health(dev.acquirer_admin)).toMatchObject({
      status: "ok",
      name: "acquirer_a",
      iso_port: ports.ACQUIRER_ISO_PORT,
      iso_tls: false,
      bins: null,
    });
    expect(await health(dev.acquirer_b_admin)).toMatchObject({
      status: "ok",
      name: "acquirer_b",
      iso_port: ports.ACQUIRER_B_ISO_PORT,
      iso_tls: false,
      bins: null,
    });
    expect(await health(dev.live_acquirer_admin)).toMatchObject({
      status: "ok",
      name: "acquirer_a",
      iso_port: ports.LIVE_ACQUIRER_ISO_PORT,
      iso_tls: true,
    });
    expect(existsSync(join(dataDir, "logs", "acquirer-live.log"))).toBe(true);
    expect(existsSync(join(dataDir, "logs", "acquirer-b.log"))).toBe(true);
  });

  it("runs the Stripe-style aggregator simulator, its key written to dev.json and printed nowhere", async () => {
    expect(dev).toMatchObject({
      aggregator_url: `http://127.0.0.1:${ports.AGGREGATOR_PORT}`,
      aggregator_admin: `http://127.0.0.1:${ports.AGGREGATOR_ADMIN_PORT}`,
      aggregator_secret_key: expect.stringMatching(/^sk_test_/),
    });
    const output = stack!.output();
    expect(output).toContain(`Aggregator (Stripe-style)   ${dev.aggregator_url}, admin ${dev.aggregator_admin}`);
    expect(output).not.toContain(dev.aggregator_secret_key);
    issued.push(dev.aggregator_secret_key);
    expect(await (await fetch(`${dev.aggregator_admin}/health`)).json()).toMatchObject({
      status: "ok",
      port: ports.AGGREGATOR_PORT,
      faults: { mode: "none" },
    });
    const intent = await fetch(`${dev.aggregator_url}/v1/payment_intents/pi_none`, {
      headers: { Authorization: `Bearer ${dev.aggregator_secret_key}` },
    });
    expect(intent.status).toBe(404);
    expect(existsSync(join(dataDir, "logs", "aggregator.log"))).toBe(true);
  });

  it("runs the UPI switch simulator, in dev.json, the banner and its own log", async () => {
    expect(dev).toMatchObject({
      upi_switch_url: `http://127.0.0.1:${ports.UPI_SWITCH_PORT}`,
      upi_switch_admin: `http://127.0.0.1:${ports.UPI_SWITCH_ADMIN_PORT}`,
      upi_payer: `http://127.0.0.1:${ports.UPI_SWITCH_PORT}/payer`,
    });
    expect(stack!.output()).toContain(
      `UPI switch (NPCI-style)     ${dev.upi_switch_url}, admin ${dev.upi_switch_admin}`,
    );
    expect(await (await fetch(`${dev.upi_switch_admin}/health`)).json()).toMatchObject({
      status: "ok",
      faults: { mode: "none" },
    });
    expect(existsSync(join(dataDir, "logs", "upi-switch.log"))).toBe(true);
    // The gateway's private UPI key is in its secrets files (0600), never in the banner.
    const keys = JSON.parse(readFileSync(join(dataDir, "upi-keys.json"), "utf8")) as { psp: { d: string } };
    expect(stack!.output()).not.toContain(keys.psp.d);
  });

  it("runs the PayPal-style wallet simulator, in dev.json, the banner and its own log", async () => {
    expect(dev).toMatchObject({
      wallet_url: `http://127.0.0.1:${ports.WALLET_PORT}`,
      wallet_admin: `http://127.0.0.1:${ports.WALLET_ADMIN_PORT}`,
    });
    expect(stack!.output()).toContain(`Wallet (PayPal-style)       ${dev.wallet_url}, admin ${dev.wallet_admin}`);
    expect(await (await fetch(`${dev.wallet_admin}/health`)).json()).toMatchObject({ status: "ok" });
    // Its API wants an OAuth token first, as PayPal's does.
    expect((await fetch(`${dev.wallet_url}/v2/checkout/orders/none`)).status).toBe(401);
    expect(existsSync(join(dataDir, "logs", "wallet.log"))).toBe(true);
  });

  it("puts local Hyperdrive between the edge and Postgres: sessions kept and lent, a drain survived", async () => {
    expect(dev.hyperdrive_url).toBe(`postgres://gateway:gateway-local@127.0.0.1:${ports.HYPERDRIVE_PORT}/gateway`);
    expect(stack!.output()).toContain(
      `Local Hyperdrive            postgres://gateway:****@127.0.0.1:${ports.HYPERDRIVE_PORT}`,
    );
    const admin = (path: string, method = "GET") =>
      fetch(`${dev.stack_admin}${path}`, { method, headers: { Authorization: `Bearer ${dev.stack_admin_token}` } });
    // Each request opens a new pg.Client (workers/db/database.ts); the pool lends it a kept session.
    for (let i = 0; i < 3; i++) expect((await api("/v1/payments", { key: dev.secret_key })).status).toBe(200);
    const before = (await (await admin("/hyperdrive")).json()) as { reused_total: number; opened_total: number };
    expect(before.reused_total).toBeGreaterThan(0);
    const drained = await admin("/hyperdrive/drain", "POST");
    expect(drained.status).toBe(200);
    expect(((await drained.json()) as { idle: number }).idle).toBe(0);
    expect((await api("/v1/payments", { key: dev.secret_key })).status).toBe(200);
    const after = (await (await admin("/hyperdrive")).json()) as { opened_total: number };
    expect(after.opened_total).toBeGreaterThan(before.opened_total);
  });

  it("refuses a second npm start on the same data directory", async () => {
    const second = launch();
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/already running \(pid \d+\) at http:\/\/127\.0\.0\.1:\d+/);
    expect((await api("/v1/merchant", { key: dev.secret_key })).status).toBe(200);
  });

  it("serves ops and merchants over HTTP: 401s, tenancy 404, allowlist 403, validation 400", async () => {
    const token = await opsToken(dev);
    const created = await api("/v1/merchants", {
      method: "POST",
      bearer: token,
      json: { name: "Second Shop", email: "second@shop.example", country: "IN", default_currency: "inr" },
    });
    expect(created.status).toBe(201);
    const otherKey = created.json.keys.secret.secret as string;
    issued.push(otherKey, created.json.keys.publishable.secret);

    expect((await api("/v1/merchant")).json.error.type).toBe("authentication_error");
    expect((await api("/v1/merchant", { key: `sk_test_${"0".repeat(32)}` })).status).toBe(401);
    const tenancy = await api(`/v1/api_keys/${created.json.keys.secret.id}`, { key: dev.secret_key });
    expect(tenancy.status).toBe(404);

    const fenced = await api("/v1/api_keys", {
      method: "POST",
      key: otherKey,
      json: { type: "secret", allowed_ips: ["10.1.0.0/16"] },
    });
    expect(fenced.status).toBe(201);
    issued.push(fenced.json.secret);
    expect(
      (await api("/v1/merchant", { key: fenced.json.secret, headers: { "CF-Connecting-IP": "10.2.0.1" } })).status,
    ).toBe(403);
    expect(
      (await api("/v1/merchant", { key: fenced.json.secret, headers: { "CF-Connecting-IP": "10.1.0.1" } })).status,
    ).toBe(200);

    const revoked = await api(`/v1/api_keys/${fenced.json.id}/revoke`, { method: "POST", key: otherKey });
    expect(revoked.status).toBe(200);
    const afterRevoke = await api("/v1/merchant", {
      key: fenced.json.secret,
      headers: { "CF-Connecting-IP": "10.1.0.1" },
    });
    expect(afterRevoke.status).toBe(401);

    const bad = await api("/v1/merchant", { method: "PATCH", key: otherKey, json: { name: "x", surprise: true } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ type: "invalid_request_error", param: "surprise" });
    expect((await api("/v1/merchant", { key: otherKey })).json.name).toBe("Second Shop");
  });

  it("tokenizes a card at the vault with the publishable key, and refuses the secret key", async () => {
    const token = await tokenize(dev.publishable_key);
    expect(token.status).toBe(201);
    expect(token.json).toMatchObject({ object: "token", card: { last4: "4242", brand: "visa", funding: "credit" } });
    firstFingerprint = token.json.card.fingerprint;
    expect((await tokenize(dev.secret_key)).status).toBe(401);
    expect((await tokenize(undefined)).status).toBe(401);
    expect(statSync(join(dataDir, "vault-keks.json")).mode & 0o777).toBe(0o600);
    issued.push(TEST_PAN);
  });

  it("ends an authorization the acquirer never answers in a reversal the acquirer records", async () => {
    const card = await tokenize(dev.publishable_key);
    const edge = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { VAULT_SIGNING_KEY: string };
    const vaultCall = async (path: string, body: unknown) => {
      const request = { method: "POST", path: `/internal/v1/${path}`, body: JSON.stringify(body) };
      const token = await vaultToken(edge, "pay_e2e", request);
      const response = await fetch(`${dev.vault}${request.path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: request.body,
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { outcome: string; resolution?: string; processor_reference: string };
    };
    const fault = (mode: string) =>
      fetch(`${dev.acquirer_admin}/faults`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ mode }),
      });
    expect((await fault("never_answer")).status).toBe(200);
    const operationId = `op_e2e_${Date.now()}`;
    try {
      const outcome = await vaultCall("authorize", {
        operation_id: operationId,
        deadline: Date.now() + 25_000,
        merchant_id: dev.merchant_id,
        payment_id: "pay_e2e",
        token: card.json.id,
        amount: 4_200,
        currency: "USD",
        capture: false,
        livemode: false,
      });
      // Unknown at once; the vault's resolver owes the network a reversal and does it.
      expect(outcome).toMatchObject({ outcome: "unknown", resolution: "reversal" });
      let settled = await vaultCall("inquire", { operation_id: operationId });
      for (let i = 0; i < 100 && settled.outcome === "unknown"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        settled = await vaultCall("inquire", { operation_id: operationId });
      }
      expect(settled).toMatchObject({ outcome: "no_effect", processor_reference: outcome.processor_reference });
      const ledger = await fetch(`${dev.acquirer_admin}/ledger?rrn=${outcome.processor_reference.slice(0, 12)}`);
      const { entries } = (await ledger.json()) as { entries: { status: string; reversals: number }[] };
      expect(entries[0]).toMatchObject({ status: "reversed", reversals: 1 });
    } finally {
      await fault("none");
    }
  });

  it("replays dead letters with the documented command", async () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/dlq-replay.ts", "payment-events"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: "utf8",
    });
    expect(result.stdout).toMatch(/replayed \d+ dead letters onto payment-events/);
    expect(result.status).toBe(0);
  });

  it("stops every process on Ctrl-C, and a restart keeps merchants and keys", async () => {
    const before = dev;
    expect(await stop(stack!)).toBe(0);
    for (const port of Object.values(ports)) expect(await isPortFree(port)).toBe(true);
    expect(existsSync(join(dataDir, "start.lock"))).toBe(false);

    stack = launch();
    dev = await ready(stack);
    expect(dev.merchant_id).toBe(before.merchant_id);
    expect(dev.secret_key).toBe(before.secret_key);
    expect(dev.live_secret_key).toBe(before.live_secret_key);
    expect(dev.live_publishable_key).toBe(before.live_publishable_key);
    expect((await api("/v1/merchant", { key: before.secret_key })).json.id).toBe(before.merchant_id);
    const token = await opsToken(dev);
    const list = await api("/v1/api_keys", { key: before.secret_key });
    expect(list.status).toBe(200);
    expect(list.json.data.length).toBeGreaterThanOrEqual(2);
    expect((await api(`/v1/merchants/${before.merchant_id}`, { bearer: token })).status).toBe(200);
  });

  it("keeps the vault's keys across a restart: the same card gets the same fingerprint", async () => {
    const again = await tokenize(dev.publishable_key);
    expect(again.status).toBe(201);
    expect(again.json.card.fingerprint).toBe(firstFingerprint);
  });

  it("leaves no API secret in clear in Postgres or in any log line", async () => {
    const { dump, logs } = await stackWritings(dev, dataDir);
    expect(dump).toContain(dev.merchant_id); // the dump is real
    expect(logs).toMatch(/"message":"request"/);
    for (const secret of issued) {
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(findSecrets(dump)).toEqual([]);
    expect(findSecrets(logs)).toEqual([]);
    for (const text of [logs, dump]) expect(text).not.toMatch(CVC_FIELD);
  });
});
