import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../workers/index.js";
import { BASE, call, expectError, newMerchant } from "./support/api.js";
import { afterNextAuditBatch, audited, auditTrail } from "./support/audit.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

/**
 * The network's decision on a chargeback (issue 16 item 1): the vault's connector service hands it
 * to the edge with its service token, and the dispute closes once, `won` (with a dispute reversal
 * of its amount) or `lost`, whatever the acquirer's retries.
 */
let vault: { jwks: string; sign(): Promise<string> };

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  vault = {
    jwks: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "vault-1", alg: "ES256" }] }),
    sign: () =>
      new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: "vault-1" })
        .setIssuer("vault-service")
        .setAudience("gateway-edge")
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime("60s")
        .sign(privateKey),
  };
});

/** POSTs as the vault would, to a Worker that trusts this test's vault key. */
async function fromVault(path: string, body: Record<string, unknown>, token?: string | null) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const bearer = token === undefined ? await vault.sign() : token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`${BASE}${path}`, { method: "POST", headers, body: JSON.stringify(body) }) as Request<
      unknown,
      IncomingRequestCfProperties
    >,
    { ...env, VAULT_NOTIFY_JWKS: vault.jwks },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

let serial = 0;

/** A dispute opened through the network route on a captured payment (1,000 USD cents, test mode). */
async function openDispute(amount = 600) {
  const merchant = await newMerchant();
  serial += 1;
  const payment = `pay_outcome${Date.now()}${serial}`;
  const rrn = `7${String(Date.now()).slice(-8)}${String(serial % 1000).padStart(3, "0")}`;
  await deliver([transition(merchant.id, payment, 3, "captured", "authorized")]);
  await sql("update payments set processor = 'acquirer_a', processor_reference = $1 where id = $2", [
    `${rrn}-0100-000001-1125120000-visa`,
    payment,
  ]);
  const reference = `CB-${rrn}`;
  const opened = await fromVault("/internal/v1/disputes", {
    processor: "acquirer_a",
    network: "visa",
    livemode: false,
    network_reference: reference,
    rrn,
    amount,
    transaction_amount: 1_000,
    currency: "USD",
    reason: "fraudulent",
  });
  expect(opened.status).toBe(200);
  return { merchant, payment, reference, dispute: opened.json as { id: string; version: number } };
}

const outcome = (reference: string, decided: string, overrides: Record<string, unknown> = {}) =>
  fromVault("/internal/v1/disputes/outcomes", {
    processor: "acquirer_a",
    livemode: false,
    network_reference: reference,
    outcome: decided,
    ...overrides,
  });

const movements = (dispute: string) =>
  sql<{ type: string; amount: string; fee: string; net: string }>(
    "select type, amount, fee, net from balance_transactions where source_id = $1 order by type",
    [dispute],
  );

const eventsOf = (dispute: string) =>
  sql<{ type: string; object_version: number; status: string }>(
    "select type, object_version, data->>'status' as status from events where object_id = $1 order by object_version, type",
    [dispute],
  );

describe("the network's decision closes a dispute once", () => {
  it("won: the dispute closes won, and one dispute reversal gives the amount back, however often the advice comes", async () => {
    const { merchant, reference, dispute } = await openDispute(600);
    const won = await outcome(reference, "won");
    expect(won.status).toBe(200);
    expect(won.json).toMatchObject({ id: dispute.id, object: "dispute", status: "won", version: 2, amount: 600 });

    // The acquirer retries until it hears 2xx: the same answer, nothing recorded twice.
    const again = await outcome(reference, "won");
    expect(again.status).toBe(200);
    expect(again.json).toEqual(won.json);

    expect(await movements(dispute.id)).toEqual([
      { type: "dispute", amount: "-600", fee: "0", net: "-600" },
      { type: "dispute_reversal", amount: "600", fee: "0", net: "600" },
    ]);
    expect(await eventsOf(dispute.id)).toEqual([
      { type: "dispute.created", object_version: 1, status: "needs_response" },
      { type: "dispute.closed", object_version: 2, status: "won" },
    ]);
    const read = await call("GET", `/v1/disputes/${dispute.id}`, { key: merchant.secretKey });
    expect(read.json).toMatchObject({ status: "won", version: 2 });
    // The audit trail has the network's two acts, by the processor, each once however often it came.
    const acts = await audited((entry) => entry.target_id === dispute.id, 2);
    expect(acts.map((entry) => [entry.action, entry.actor.kind, entry.details.status]).sort()).toEqual([
      ["dispute.closed", "processor", "won"],
      ["dispute.opened", "processor", "needs_response"],
    ]);
    await afterNextAuditBatch();
    expect((await auditTrail()).filter((entry) => entry.target_id === dispute.id)).toHaveLength(2);
    // Closed: the merchant can no longer answer it.
    expectError(
      await call("POST", `/v1/disputes/${dispute.id}/evidence`, { key: merchant.secretKey, body: { text: "late" } }),
      409,
      "invalid_request_error",
    );
  });

  it("lost after evidence: the dispute closes lost, the amount stays taken, no reversal", async () => {
    const { merchant, reference, dispute } = await openDispute(1_000);
    const answered = await call("POST", `/v1/disputes/${dispute.id}/evidence`, {
      key: merchant.secretKey,
      body: { text: "Signed delivery receipt" },
    });
    expect(answered.json).toMatchObject({ status: "under_review", version: 2 });
    const lost = await outcome(reference, "lost");
    expect(lost.status).toBe(200);
    expect(lost.json).toMatchObject({ status: "lost", version: 3, evidence: { text: "Signed delivery receipt" } });
    expect(await movements(dispute.id)).toEqual([{ type: "dispute", amount: "-1000", fee: "0", net: "-1000" }]);
    expect((await eventsOf(dispute.id)).map((event) => event.type)).toEqual([
      "dispute.created",
      "dispute.updated",
      "dispute.closed",
    ]);
  });

  it("refuses a decision contradicting the recorded one, changing nothing", async () => {
    const { reference, dispute } = await openDispute(250);
    expect((await outcome(reference, "lost")).status).toBe(200);
    expectError(await outcome(reference, "won"), 409, "invalid_request_error", "outcome");
    const [row] = await sql<{ status: string; version: number }>("select status, version from disputes where id = $1", [
      dispute.id,
    ]);
    expect(row).toEqual({ status: "lost", version: 2 });
    expect((await movements(dispute.id)).map((movement) => movement.type)).toEqual(["dispute"]);
  });

  it("finds only a dispute the processor opened in that mode: 404 otherwise, and nothing closes", async () => {
    const { reference, dispute } = await openDispute();
    expectError(await outcome("CB-NEVER-OPENED", "won"), 404, "invalid_request_error", "network_reference");
    expectError(await outcome(reference, "won", { livemode: true }), 404, "invalid_request_error", "network_reference");
    expectError(
      await outcome(reference, "won", { processor: "acquirer_b" }),
      404,
      "invalid_request_error",
      "network_reference",
    );
    expectError(await outcome(reference, "withdrawn"), 400, "invalid_request_error", "outcome");
    const [row] = await sql<{ status: string }>("select status from disputes where id = $1", [dispute.id]);
    expect(row!.status).toBe("needs_response");
  });

  it("takes decisions from the vault only", async () => {
    const { reference, dispute } = await openDispute();
    const decision = { processor: "acquirer_a", livemode: false, network_reference: reference, outcome: "won" };
    expectError(await fromVault("/internal/v1/disputes/outcomes", decision, null), 401, "authentication_error");
    expectError(
      await fromVault("/internal/v1/disputes/outcomes", decision, "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"),
      401,
      "authentication_error",
    );
    const [row] = await sql<{ status: string }>("select status from disputes where id = $1", [dispute.id]);
    expect(row!.status).toBe("needs_response");
    expect(await movements(dispute.id)).toHaveLength(1);
  });
});
