import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationResponse } from "../../common/vault-internal-api.js";
import { type RunningSimulator, startAcquirerSimulator } from "../../simulators/acquirer/acquirer-simulator.js";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../../test/support/vault-harness.js";
import { vaultToken } from "../../workers/vault/vault-token.js";
import { createVaultApp } from "../app.js";
import { openInternalApi } from "./open-internal-api.js";

let harness: VaultHarness;
let simulator: RunningSimulator;
let app: ReturnType<typeof createVaultApp>;
let internal: NonNullable<ReturnType<typeof openInternalApi>>;
let merchant: TestMerchant;
let edge: { VAULT_SIGNING_KEY: string };
const dataDir = mkdtempSync(join(tmpdir(), "internal-api-"));

const PAN = "4242424242424242";

async function tokenize(number = PAN): Promise<string> {
  const response = await harness.tokenize(merchant.publishableKey, {
    number,
    exp_month: 12,
    exp_year: 2034,
    cvc: "123",
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function call(path: string, body: unknown, token?: string) {
  const response = await app.request(`/internal/v1/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as OperationResponse & Record<string, any> };
}

const authorize = async (token: string, extra: Record<string, unknown> = {}) =>
  call(
    "authorize",
    {
      merchant_id: merchant.id,
      payment_id: "pay_test",
      token,
      amount: 1_999,
      currency: "USD",
      capture: false,
      ...extra,
    },
    await vaultToken(edge, "pay_test"),
  );

async function setFault(body: Record<string, unknown>) {
  await fetch(`${simulator.adminUrl}/faults`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  harness = await startVaultHarness();
  simulator = await startAcquirerSimulator({ isoPort: 0, adminPort: 0, dataDir });
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  edge = { VAULT_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "edge-test" }) };
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "edge-test", alg: "ES256" }] });
  const opened = openInternalApi(
    {
      EDGE_TOKEN_JWKS: jwks,
      VISA_ACQUIRER: `127.0.0.1:${simulator.isoPort}`,
      MASTERCARD_ACQUIRER: `127.0.0.1:${simulator.isoPort}`,
      CARD_NETWORK_TIMEOUT_MS: 400,
    },
    { db: harness.pool.db, keys: harness.keys, cvcs: harness.deps.cvcs },
  );
  if (!opened) throw new Error("internal API not configured");
  internal = opened;
  app = createVaultApp(harness.pool.ping, { tokenization: harness.deps, internal });
  merchant = await harness.createMerchant();
});

afterAll(async () => {
  await internal?.connectors.close();
  await simulator?.stop();
  await harness?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the vault's internal API (edge -> vault)", () => {
  it("authorizes a token at the card network, with the CVC once, and never answers with the card number", async () => {
    const token = await tokenize();
    expect(harness.deps.cvcs.has(token)).toBe(true);
    const response = await authorize(token);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: "approved", processor: "visa" });
    // What the payment may show of the card: brand, last four, expiry; never more.
    expect(response.json.card).toEqual({
      brand: "visa",
      last4: "4242",
      exp_month: expect.any(Number),
      exp_year: expect.any(Number),
      funding: expect.any(String),
      country: expect.toBeOneOf([null, expect.any(String)]),
    });
    expect(response.text).not.toContain(PAN);
    expect(harness.deps.cvcs.has(token)).toBe(false); // PCI DSS 3.3.1: used, then wiped
    const entry = simulator.ledger.findByRrn(String(response.json.processor_reference).slice(0, 12));
    expect(entry).toMatchObject({ status: "approved", amount: 1_999, last4: "4242" });

    const capture = await call(
      "capture",
      { processor: "visa", processor_reference: response.json.processor_reference, amount: 1_000, currency: "USD" },
      await vaultToken(edge, "pay_test"),
    );
    expect(capture.json.outcome).toBe("approved");
    const inquiry = await call(
      "inquire",
      { processor: "visa", processor_reference: response.json.processor_reference },
      await vaultToken(edge, "pay_test"),
    );
    expect(inquiry.json).toMatchObject({ status: "approved" });
  });

  it("answers a decline as an outcome with the unified decline code", async () => {
    const response = await authorize(await tokenize("4000000000009995"));
    expect(response.json).toMatchObject({
      outcome: "declined",
      decline_code: "insufficient_funds",
      decline_retry: "soft",
      network_response_code: "51",
    });
  });

  it("refuses a call without a valid edge token, and a replayed one", async () => {
    const token = await tokenize();
    const body = { merchant_id: merchant.id, payment_id: "pay_x", token, amount: 100, currency: "USD", capture: false };
    const none = await call("authorize", body);
    expect(none.status).toBe(401);
    expect(none.json.error).toMatchObject({ type: "authentication_error", code: "edge_token_invalid" });

    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const forged = await vaultToken(
      { VAULT_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "edge-test" }) },
      "pay_x",
    );
    expect((await call("authorize", body, forged)).status).toBe(401);

    const once = await vaultToken(edge, "pay_x");
    expect((await call("authorize", body, once)).status).toBe(200);
    const replay = await call("authorize", body, once);
    expect(replay.status).toBe(401);
    expect(simulator.ledger.all().filter((entry) => entry.amount === 100)).toHaveLength(1);
  });

  it("keeps merchants apart: another merchant's token is not found", async () => {
    const token = await tokenize();
    const other = await harness.createMerchant();
    const response = await call(
      "authorize",
      { merchant_id: other.id, payment_id: "pay_y", token, amount: 100, currency: "USD", capture: false },
      await vaultToken(edge, "pay_y"),
    );
    expect(response.status).toBe(404);
    expect(response.json.error.param).toBe("token");
  });

  it("ends an unanswered authorization in a reversal the acquirer records", async () => {
    await setFault({ mode: "never_answer" });
    try {
      const response = await authorize(await tokenize());
      expect(response.json).toMatchObject({ outcome: "unknown", reversal: "acknowledged" });
      const entry = simulator.ledger.findByRrn(String(response.json.processor_reference).slice(0, 12));
      expect(entry).toMatchObject({ status: "reversed", reversals: 1 });
    } finally {
      await setFault({ mode: "none" });
    }
  });

  it("says unavailable, having sent nothing, when the acquirer refuses connections", async () => {
    const token = await tokenize();
    await setFault({ mode: "refuse" });
    try {
      const before = simulator.ledger.all().length;
      const response = await authorize(token, { processor: "mastercard" });
      expect(response.json).toMatchObject({ outcome: "unavailable", processor: "mastercard" });
      expect(simulator.ledger.all()).toHaveLength(before);
    } finally {
      await setFault({ mode: "none" });
    }
  });
});
