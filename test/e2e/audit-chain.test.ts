import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainEntries } from "../../common/audit-chain/chain-object.js";
import type { AuditEntry } from "../../workers/audit/audit-entry.js";
import { apiCall, type DevJson, opsToken, request, startStack, tokenizeCard } from "../support/running-stack.js";
import { CVC_FIELD } from "../support/stack-scan.js";

/**
 * The tamper-evident audit trail (issue 16 item 5) through the stack `npm start` boots: merchant,
 * ops, payment and vault actions land in the hash chain in R2; `npm run audit:verify` walks it and
 * passes; then one byte of one stored object is changed where miniflare keeps R2's blobs on disk
 * (tampering at rest, past the gateway), and the verifier names that object and that entry.
 */
const TEST_PAN = "4242424242424242";
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
let ops: string;

interface StoredObject {
  key: string;
  sequence: number;
  bytes: Buffer;
}

/** The chain's objects as R2 stores them, through the ops route the verifier reads too. */
async function chainObjects(): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  let after = 0;
  for (;;) {
    const page = await request(dev, `/v1/ops/audit/chain?after=${after}&limit=100`, { bearer: ops });
    expect(page.status).toBe(200);
    for (const object of page.json.data as { key: string; sequence: number; body_base64: string }[]) {
      objects.push({ key: object.key, sequence: object.sequence, bytes: Buffer.from(object.body_base64, "base64") });
    }
    if (!page.json.has_more) return objects;
    after = objects[objects.length - 1]!.sequence;
  }
}

const trail = async () => (await chainObjects()).flatMap((object) => chainEntries<AuditEntry>(object.bytes));

function auditVerify(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", ...args], {
    env: {
      ...process.env,
      GATEWAY_API: dev.api,
      OPS_CLIENT_ID: dev.ops_client_id,
      OPS_CLIENT_SECRET: dev.ops_client_secret,
    },
    encoding: "utf8",
  });
}

/** Where miniflare persists the R2 object whose bytes are `bytes` (wrangler dev's `--persist-to`). */
function blobHolding(bytes: Buffer): string {
  const r2 = join(stack.dataDir, "wrangler-state", "v3", "r2");
  const found: string[] = [];
  for (const bucket of readdirSync(r2)) {
    let blobs: string[];
    try {
      blobs = readdirSync(join(r2, bucket, "blobs"));
    } catch {
      continue;
    }
    for (const blob of blobs) {
      const path = join(r2, bucket, "blobs", blob);
      if (readFileSync(path).equals(bytes)) found.push(path);
    }
  }
  expect(found).toHaveLength(1);
  return found[0]!;
}

beforeAll(async () => {
  stack = await startStack({ WEBHOOK_LOCAL_RECEIVERS: "on" });
  dev = stack.dev;
  ops = await opsToken(dev);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("the audit hash chain, end to end", () => {
  const paymentIds: string[] = [];
  let endpointId = "";
  let rolledKeyId = "";

  it("chains merchant, ops, payment and vault actions, and `npm run audit:verify` passes", async () => {
    const token = await tokenizeCard(dev, TEST_PAN);
    const payment = await apiCall(dev, "POST", "/v1/payments", {
      json: { amount: 2_500, currency: "usd", payment_method: { type: "card", token } },
    });
    expect(payment.json.status).toBe("captured");
    const manual = await apiCall(dev, "POST", "/v1/payments", {
      json: {
        amount: 4_000,
        currency: "usd",
        capture_method: "manual",
        payment_method: { type: "card", token: await tokenizeCard(dev, TEST_PAN) },
      },
    });
    expect((await apiCall(dev, "POST", `/v1/payments/${manual.json.id}/capture`, { json: {} })).json.status).toBe(
      "captured",
    );
    expect(
      (await apiCall(dev, "POST", `/v1/payments/${payment.json.id}/refund`, { json: { amount: 500 } })).status,
    ).toBe(200);
    paymentIds.push(payment.json.id, manual.json.id);

    const endpoint = await apiCall(dev, "POST", "/v1/webhook_endpoints", {
      json: { url: "http://127.0.0.1:9/hooks", enabled_events: ["payment.captured"] },
    });
    expect(endpoint.status).toBe(201);
    endpointId = endpoint.json.id;
    const key = await apiCall(dev, "POST", "/v1/api_keys", { json: { type: "secret", name: "audit e2e" } });
    expect(key.status).toBe(201);
    const rolled = await apiCall(dev, "POST", `/v1/api_keys/${key.json.id}/roll`, { json: {} });
    expect(rolled.status).toBe(201);
    rolledKeyId = key.json.id;
    const cut = await request(dev, "/v1/ops/settlements/cut", {
      method: "POST",
      bearer: ops,
      json: { merchant: dev.merchant_id, livemode: false },
    });
    expect(cut.status).toBe(200);

    const expected: Record<string, (e: AuditEntry) => boolean> = {
      "webhook endpoint created": (e) => e.action === "webhook_endpoint.created" && e.target_id === endpointId,
      "key created": (e) => e.action === "api_key.created" && e.target_id === rolledKeyId,
      "key rolled": (e) => e.action === "api_key.rolled" && e.target_id === rolledKeyId,
      "settlement cut by ops": (e) => e.action === "settlements.cut" && e.actor.kind === "ops_client",
      "ops token issued": (e) => e.action === "ops_client.token_issued",
      "manual payment captured": (e) => e.action === "payment.captured" && e.target_id === manual.json.id,
      "payment refunded": (e) => e.action === "payment.partially_refunded" && e.target_id === payment.json.id,
      "first card read": (e) => e.action === "vault.card_accessed" && e.details.payment_id === payment.json.id,
      "second card read": (e) => e.action === "vault.card_accessed" && e.details.payment_id === manual.json.id,
    };
    // Each read is itself an ops use, so an audit-log batch, which also forwards the vault's
    // new card accesses.
    let entries: AuditEntry[] = [];
    let missing: string[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      entries = await trail();
      missing = Object.entries(expected)
        .filter(([, match]) => !entries.some(match))
        .map(([name]) => name);
      if (missing.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(missing).toEqual([]);

    const uses = entries.filter((e) => e.action === "api_key.used" && e.details.path === "/v1/payments");
    expect(uses.length).toBeGreaterThanOrEqual(2);
    expect(uses[0]).toMatchObject({
      actor: { kind: "api_key", merchant_id: dev.merchant_id },
      details: { method: "POST" },
    });
    const captureUse = entries.find((e) => e.details.path === `/v1/payments/${manual.json.id}/capture`);
    expect(captureUse).toMatchObject({ action: "api_key.used", details: { status: 200 } });
    // The capture was the merchant's request: the transition names its key and that request.
    expect(entries.find((e) => e.action === "payment.captured" && e.target_id === manual.json.id)).toMatchObject({
      actor: { kind: "api_key", id: captureUse!.actor.id, merchant_id: dev.merchant_id },
      request_id: captureUse!.request_id,
      details: { old_status: "authorized", new_status: "captured" },
    });
    expect(
      entries.find((e) => e.action === "vault.card_accessed" && e.details.payment_id === manual.json.id),
    ).toMatchObject({
      actor: { kind: "service", merchant_id: dev.merchant_id },
      details: { purpose: "authorize" },
    });
    expect(entries.some((e) => e.action === "ops_client.used" && e.details.path === "/v1/ops/settlements/cut")).toBe(
      true,
    );
    // PCI DSS 3.3, 3.4: the trail names tokens and last fours at most, never a card number or a CVC.
    const text = JSON.stringify(entries);
    expect(text).not.toContain(TEST_PAN);
    expect(text).not.toMatch(CVC_FIELD);

    const run = auditVerify();
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^audit chain OK: \d+ objects, \d+ entries \(objects 1\.\.\d+\)/);
    const today = new Date().toISOString().slice(0, 10);
    const fromToday = auditVerify("--from", today);
    expect(fromToday.status, `${fromToday.stdout}${fromToday.stderr}`).toBe(0);
    expect(auditVerify("--from", "yesterday").status).toBe(2);
  });

  it("fails at the object and entry where one byte of a stored object changed", async () => {
    const objects = await chainObjects();
    const target = objects.find((object) => {
      const held = chainEntries<AuditEntry>(object.bytes);
      return held.length >= 2 && held.some((entry, i) => i > 0 && entry.action === "vault.card_accessed");
    });
    // A card access that came with others, else any object of several entries.
    const object = target ?? objects.find((candidate) => chainEntries(candidate.bytes).length >= 2)!;
    const held = chainEntries<AuditEntry>(object.bytes);
    const index = Math.max(
      1,
      held.findIndex((entry, i) => i > 0 && entry.action === "vault.card_accessed"),
    );
    const victim = held[index]!;

    const blob = blobHolding(object.bytes);
    const bytes = readFileSync(blob);
    const line = bytes.indexOf(`"id":"${victim.id}"`);
    const action = bytes.lastIndexOf(`"action":"`, line) + '"action":"'.length;
    expect(action).toBeGreaterThan(bytes.lastIndexOf(0x0a, line));
    bytes[action] = bytes[action] === 0x78 ? 0x79 : 0x78; // one letter of the action, now 'x' (or 'y')
    writeFileSync(blob, bytes);

    const run = auditVerify();
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(1);
    expect(run.stdout).toContain(
      `BROKEN at object ${object.sequence} (${object.key}), entry ${index} (${victim.id}): entry:`,
    );
    const json = auditVerify("--json");
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      objects: object.sequence - 1,
      break: { check: "entry", sequence: object.sequence, entry_index: index, entry_id: victim.id },
    });
  });
});
