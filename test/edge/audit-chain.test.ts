import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { generateClientSecret, hashCredential } from "../../common/api-key-secret.js";
import { type ChainableEntry, chainKey, GENESIS_HASH } from "../../common/audit-chain/chain-object.js";
import { ChainVerifier, type StoredChainObject } from "../../common/audit-chain/chain-verify.js";
import { newId } from "../../common/ids.js";
import { AuditChainObject } from "../../durable-objects/audit-chain/audit-chain.object.js";
import { auditChain } from "../../workers/audit/audit-chain.js";
import type { AuditEntry } from "../../workers/audit/audit-entry.js";
import { type AuditPack, packAudit } from "../../workers/audit/audit-pack.js";
import worker from "../../workers/index.js";
import type { RequestSummary } from "../../workers/request-logs/request-summary.js";
import { call, newMerchant, opsToken } from "./support/api.js";
import { audited, auditTrail } from "./support/audit.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

let serial = 0;

function entry(tag: string): AuditEntry {
  return {
    id: `aud_${tag}_${Date.now()}_${++serial}`,
    at: new Date().toISOString(),
    action: "api_key.revoked",
    target_id: `key_${tag}`,
    actor: { kind: "api_key", id: "key_actor", merchant_id: "acct_chain" },
    request_id: `req_${tag}`,
    details: { tag },
  };
}

async function throughQueue(bodies: (AuditEntry | AuditPack | RequestSummary)[]) {
  const batch = createMessageBatch<AuditEntry | AuditPack | RequestSummary>(
    "audit-log",
    bodies.map((body, i) => ({ id: `chain${++serial}_${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env>)(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** An ops client holding audit:read only, made for this file. */
let reader: { id: string; secret: string };

beforeAll(async () => {
  reader = { id: newId("opsClient"), secret: generateClientSecret() };
  await sql("insert into ops_clients (id, name, secret_hash, scopes) values ($1, 'audit reader', $2, '{audit:read}')", [
    reader.id,
    await hashCredential(env.API_KEY_PEPPER, reader.secret),
  ]);
});

const readerToken = () => opsToken(reader.id, reader.secret, "audit:read");

/** Every object of the chain through `GET /v1/ops/audit/chain`, page by page, bytes as stored. */
async function chainThroughRoute(bearer: string, first: { from?: string } = {}) {
  const objects: StoredChainObject[] = [];
  let query = first.from ? `from=${first.from}&limit=7` : "limit=7";
  let page: Record<string, any>;
  let firstSequence: number | null | undefined;
  do {
    const answer = await call("GET", `/v1/ops/audit/chain?${query}`, { bearer });
    expect(answer.status).toBe(200);
    page = answer.json;
    firstSequence ??= page.first_sequence as number | null;
    const data = page.data as { key: string; sequence: number; body_base64: string }[];
    for (const object of data) {
      objects.push({ key: object.key, bytes: Uint8Array.from(atob(object.body_base64), (c) => c.charCodeAt(0)) });
    }
    query = `after=${data[data.length - 1]?.sequence ?? 0}&limit=7`;
  } while (page.has_more);
  return { objects, head: page.head as { sequence: number; hash: string }, first: firstSequence };
}

async function verifyObjects(objects: StoredChainObject[], head: { sequence: number; hash: string }, start = 1) {
  const verifier = new ChainVerifier(start);
  for (const object of objects) if (!(await verifier.add(object))) break;
  return verifier.finish(head);
}

describe("the audit hash chain", () => {
  it("seals each audit-log batch into the chain; a redelivered batch appends nothing", async () => {
    const entries = [entry("a"), entry("b"), entry("c")];
    for (let delivery = 0; delivery < 3; delivery++) {
      expect(await throughQueue(entries)).toMatchObject({ outcome: "ok", ackAll: true });
    }
    const trail = await auditTrail();
    for (const sent of entries) expect(trail.filter((held) => held.id === sent.id)).toEqual([sent]);

    // The chain's object itself: an entry already held is dropped, a new one in the same call kept.
    const chain = auditChain(env);
    const again = await chain.append([entries[1]!, entries[2]!]);
    expect(again).toMatchObject({ objects: 0, entries: 0 });
    const fresh = entry("d");
    const mixed = await chain.append([entries[0]!, fresh, fresh]);
    expect(mixed).toMatchObject({ objects: 1, entries: 1 });
    const stored = await env.AUDIT_BUCKET.get(chainKey(mixed.head.sequence));
    expect(stored?.customMetadata).toMatchObject({ hash: mixed.head.hash });
  });

  it("takes entries one to a message and packed many to a message in the same batch, each chained once", async () => {
    const single = entry("single");
    const packed = Array.from({ length: 40 }, (_, i) => entry(`packed${i}`));
    const [[pack, ...others] = []] = packAudit(packed);
    expect(others).toEqual([]); // forty small entries fit one message
    expect(await throughQueue([single, pack!])).toMatchObject({ outcome: "ok", ackAll: true });
    expect(await throughQueue([pack!])).toMatchObject({ outcome: "ok", ackAll: true }); // redelivered
    const trail = await auditTrail();
    for (const sent of [single, ...packed]) expect(trail.filter((held) => held.id === sent.id)).toEqual([sent]);
  });

  it("chains every key use from its request summary, and still fills the merchant's request log", async () => {
    const { id: merchantId, secretKey, secretKeyId } = await newMerchant();
    const answer = await call("GET", "/v1/merchant", { key: secretKey });
    const requestId = answer.headers.get("Request-Id")!;
    const [use] = await audited((held) => held.action === "api_key.used" && held.request_id === requestId);
    expect(use).toMatchObject({
      target_id: secretKeyId,
      actor: { kind: "api_key", id: secretKeyId, merchant_id: merchantId },
      details: { method: "GET", path: "/v1/merchant", status: 200, error_code: null, livemode: false },
    });
    const summary: RequestSummary = {
      kind: "request",
      id: `req_chainsummary${Date.now()}`,
      at: new Date().toISOString(),
      merchant_id: merchantId,
      api_key_id: secretKeyId,
      livemode: false,
      method: "POST",
      path: "/v1/payments",
      status: 402,
      latency_ms: 12,
      error_code: "card_declined",
    };
    await throughQueue([summary]);
    await throughQueue([summary]);
    expect((await auditTrail()).filter((held) => held.request_id === summary.id)).toHaveLength(1);
    expect(await sql("select status from request_logs where id = $1", [summary.id])).toEqual([{ status: 402 }]);
  });

  it("chains each payment transition once, by the actor the object names (the object itself in older messages)", async () => {
    const { id: merchantId } = await newMerchant();
    const pay = `pay_chain_${Date.now()}`;
    const captured = transition(merchantId, pay, 3, "captured", "authorized");
    captured.event.metadata = { operation: `op_${pay}_2`, result: "succeeded", nested: { not: "kept" } };
    await deliver([transition(merchantId, pay, 1, "processing", "created"), captured]);
    await deliver([captured]);
    const [entry] = await audited((held) => held.action === "payment.captured" && held.target_id === pay);
    expect(entry).toMatchObject({
      at: captured.event.created_at,
      actor: { kind: "system", id: "payment_object", merchant_id: merchantId },
      request_id: null,
      details: {
        livemode: false,
        sequence: 3,
        old_status: "authorized",
        new_status: "captured",
        amount: 1000,
        currency: "USD",
        operation: `op_${pay}_2`,
        result: "succeeded",
      },
    });
    expect(entry!.details).not.toHaveProperty("nested");
    await audited((held) => held.action === "payment.processing" && held.target_id === pay);
    expect((await auditTrail()).filter((held) => held.target_id === pay)).toHaveLength(2);

    const refunded = transition(merchantId, pay, 4, "refunded", "captured");
    refunded.event.actor = { kind: "api_key", id: "key_refunder", request_id: "req_refund1" };
    const callback = transition(merchantId, pay, 5, "refunded", "refunded");
    callback.event.actor = { kind: "processor", id: "upi_switch", request_id: null };
    await deliver([refunded, callback]);
    const [byKey] = await audited((held) => held.target_id === pay && held.details.sequence === 4);
    expect(byKey).toMatchObject({
      actor: { kind: "api_key", id: "key_refunder", merchant_id: merchantId },
      request_id: "req_refund1",
    });
    const [byProcessor] = await audited((held) => held.target_id === pay && held.details.sequence === 5);
    expect(byProcessor).toMatchObject({ actor: { kind: "processor", id: "upi_switch" }, request_id: null });
  });

  it("forwards the vault's card access log into the chain, once per row", async () => {
    const { id: merchantId } = await newMerchant();
    const [row] = await sql<{ id: string }>(
      `insert into vault_card_access_log (token, merchant_id, payment_id, operation_id, accessor, purpose, accessed_at)
       values ('tok_chainaccess', $1, 'pay_chainaccess', 'op_chainaccess_1', 'gateway-edge:payment-object', 'authorize', now() - interval '1 minute')
       returning id`,
      [merchantId],
    );
    const forwarded = (held: AuditEntry) =>
      held.action === "vault.card_accessed" && held.details.access_log_id === Number(row!.id);
    await throughQueue([entry("access")]);
    await throughQueue([entry("access")]);
    const [access] = await audited(forwarded);
    expect(access).toMatchObject({
      target_id: "tok_chainaccess",
      actor: { kind: "service", id: "gateway-edge:payment-object", merchant_id: merchantId },
      details: { payment_id: "pay_chainaccess", operation_id: "op_chainaccess_1", purpose: "authorize" },
    });
    expect((await auditTrail()).filter(forwarded)).toHaveLength(1);
    expect(await auditChain(env).cardAccessCursor()).toBeGreaterThanOrEqual(Number(row!.id));
  });

  it("waits at a gap in the vault log's row ids until the row comes or the gap is a minute old", async () => {
    const { id: merchantId } = await newMerchant();
    await throughQueue([entry("gap")]);
    const cursor = await auditChain(env).cardAccessCursor();
    const insert = (id: number, age: string) =>
      sql(
        `insert into vault_card_access_log (id, token, merchant_id, payment_id, operation_id, accessor, purpose, accessed_at)
         values ($1::bigint, 'tok_gap', $2, 'pay_gap', $3, 'gateway-edge:payment-object', 'authorize', now() - $4::interval)`,
        [id, merchantId, `op_gap_${id}`, age],
      );
    const chained = async (id: number) =>
      (await auditTrail()).some((held) => held.action === "vault.card_accessed" && held.details.access_log_id === id);
    try {
      await insert(cursor + 2, "0 seconds"); // committed before the row that took the id before it
      await throughQueue([entry("gap")]);
      expect(await chained(cursor + 2)).toBe(false);
      expect(await auditChain(env).cardAccessCursor()).toBe(cursor);
      await insert(cursor + 1, "0 seconds");
      await throughQueue([entry("gap")]);
      expect((await audited((held) => held.details.operation_id === `op_gap_${cursor + 2}`)).length).toBe(1);
      expect(await chained(cursor + 1)).toBe(true);
      await insert(cursor + 4, "2 minutes"); // cursor + 3 never comes (an insert rolled back)
      await throughQueue([entry("gap")]);
      expect(await chained(cursor + 4)).toBe(true);
      expect(await auditChain(env).cardAccessCursor()).toBe(cursor + 4);
    } finally {
      await sql("select setval('vault_card_access_log_id_seq', (select max(id) from vault_card_access_log))");
    }
  });

  it("records an ops client's tokens and every use of them", async () => {
    const token = await readerToken();
    const [issued] = await audited((held) => held.action === "ops_client.token_issued" && held.target_id === reader.id);
    expect(issued).toMatchObject({ actor: { kind: "ops_client", id: reader.id }, details: { scope: "audit:read" } });
    const answer = await call("GET", "/v1/ops/audit/chain?limit=1", { bearer: token });
    const [use] = await audited(
      (held) => held.action === "ops_client.used" && held.request_id === answer.headers.get("Request-Id"),
    );
    expect(use).toMatchObject({
      actor: { kind: "ops_client", id: reader.id, merchant_id: null },
      details: { method: "GET", path: "/v1/ops/audit/chain", status: 200 },
    });
  });

  it("serves the chain as stored for a verifier, which passes it whole and from a day", async () => {
    await throughQueue([entry("route")]);
    const token = await readerToken();
    const { objects, head } = await chainThroughRoute(token);
    expect(objects.length).toBeGreaterThan(3);
    expect(await verifyObjects(objects, head)).toMatchObject({ ok: true, first_sequence: 1 });
    const stored = await env.AUDIT_BUCKET.get(objects[1]!.key);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(objects[1]!.bytes);

    const today = new Date().toISOString().slice(0, 10);
    const fromToday = await chainThroughRoute(token, { from: today });
    expect(fromToday.first).toBe(1);
    expect(await verifyObjects(fromToday.objects, fromToday.head)).toMatchObject({ ok: true });
    const later = await call("GET", "/v1/ops/audit/chain?from=2999-01-01", { bearer: token });
    expect(later.json).toMatchObject({ first_sequence: null, data: [], has_more: false });
    const both = await call("GET", "/v1/ops/audit/chain?from=2026-01-01&after=3", { bearer: token });
    expect(both.status).toBe(400);
    const refused = await call("GET", "/v1/ops/audit/chain", {
      bearer: await opsToken(env.TEST_OPS_CLIENT_ID, env.TEST_OPS_CLIENT_SECRET),
    });
    expect(refused.status).toBe(403);
  });

  it("makes the verifier name the entry a changed byte is in, a missing object, a broken link", async () => {
    await throughQueue([entry("t1"), entry("t2"), entry("t3")]);
    const { objects, head } = await chainThroughRoute(await readerToken());
    const index = objects.findIndex((object) => new TextDecoder().decode(object.bytes).includes("aud_t2_"));
    const target = objects[index]!;
    const text = new TextDecoder().decode(target.bytes);
    const bytes = new Uint8Array(target.bytes);
    const at = new TextEncoder().encode(text.slice(0, text.indexOf('"tag":"t2"'))).length;
    bytes[at + '"tag":"t'.length] = "x".charCodeAt(0);
    const changed = [...objects.slice(0, index), { key: target.key, bytes }, ...objects.slice(index + 1)];
    const report = await verifyObjects(changed, head);
    expect(report.break).toMatchObject({ check: "entry", sequence: index + 1, entry_index: 1 });
    expect(report.break?.entry_id).toMatch(/^aud_t2_/);

    const gap = await verifyObjects([...objects.slice(0, 2), ...objects.slice(3)], head);
    expect(gap.break).toMatchObject({ check: "missing_object", sequence: 3 });
    const swapped = [...objects.slice(0, 2), objects[3]!, objects[2]!, ...objects.slice(4)];
    expect((await verifyObjects(swapped, head)).break?.sequence).toBe(3);
    const relinked = objects.map((object, i) => (i === 2 ? { key: object.key, bytes: objects[1]!.bytes } : object));
    expect((await verifyObjects(relinked, head)).break).toMatchObject({ check: "sequence", sequence: 3 });
  });
});

/** R2 as the chain uses it, in memory, with a put that can be cut short after or before storing. */
class MemoryBucket {
  readonly objects = new Map<string, Uint8Array>();
  failNext: "after_store" | "before_store" | null = null;

  async put(key: string, value: Uint8Array) {
    const failing = this.failNext;
    this.failNext = null;
    if (failing === "before_store") throw new Error("R2 unreachable");
    this.objects.set(key, new Uint8Array(value));
    if (failing === "after_store") throw new Error("connection reset after the upload");
    return {};
  }

  async get(key: string) {
    const bytes = this.objects.get(key);
    return bytes ? { arrayBuffer: async () => bytes.slice().buffer } : null;
  }
}

describe("the chain's writer", () => {
  async function withChain(run: (chain: AuditChainObject, bucket: MemoryBucket) => Promise<void>) {
    // Its own object and bucket: nothing here touches the environment's chain.
    const stub = env.AUDIT_CHAIN.get(env.AUDIT_CHAIN.idFromName(`writer-test/${crypto.randomUUID()}`));
    await runInDurableObject(stub, async (_instance: AuditChainObject, state) => {
      const bucket = new MemoryBucket();
      await run(new AuditChainObject(state, { ...env, AUDIT_BUCKET: bucket as unknown as R2Bucket }), bucket);
    });
  }

  const stored = (bucket: MemoryBucket) =>
    [...bucket.objects.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, bytes]) => ({ key, bytes }));

  it("adopts an object whose write was cut short after R2 stored it, and never chains its entries twice", async () => {
    await withChain(async (chain, bucket) => {
      const [a, b] = [entry("wa"), entry("wb")] as ChainableEntry[];
      bucket.failNext = "after_store";
      await expect(chain.append([a!])).rejects.toThrow(/connection reset/);
      expect(await chain.head()).toEqual({ sequence: 0, hash: GENESIS_HASH });
      const result = await chain.append([a!, b!]);
      expect(result).toMatchObject({ objects: 1, entries: 1, head: { sequence: 2 } });
      const report = await verifyObjects(stored(bucket), result.head);
      expect(report).toMatchObject({ ok: true, objects: 2, entries: 2 });
    });
  });

  it("writes afresh when the cut-short write never reached R2", async () => {
    await withChain(async (chain, bucket) => {
      bucket.failNext = "before_store";
      await expect(chain.append([entry("wc")])).rejects.toThrow(/unreachable/);
      const result = await chain.append([entry("wd")]);
      expect(result).toMatchObject({ objects: 1, entries: 1, head: { sequence: 1 } });
      expect(await verifyObjects(stored(bucket), result.head)).toMatchObject({ ok: true, objects: 1 });
    });
  });

  it("refuses to go on over an object it did not write, instead of writing over it", async () => {
    await withChain(async (chain, bucket) => {
      bucket.failNext = "after_store";
      await expect(chain.append([entry("we")])).rejects.toThrow();
      bucket.objects.set(chainKey(1), new TextEncoder().encode("not a chain object"));
      await expect(chain.append([entry("wf")])).rejects.toThrow(/does not follow/);
      expect(new TextDecoder().decode(bucket.objects.get(chainKey(1)))).toBe("not a chain object");
    });
  });

  it("splits a large append into objects of at most 256 entries, and knows each day's first object", async () => {
    await withChain(async (chain, bucket) => {
      const result = await chain.append(Array.from({ length: 600 }, (_, i) => entry(`bulk${i}`)));
      expect(result).toMatchObject({ objects: 3, entries: 600, head: { sequence: 3 } });
      expect(await verifyObjects(stored(bucket), result.head)).toMatchObject({ ok: true, objects: 3, entries: 600 });
      expect(await chain.firstSequenceFrom(new Date().toISOString().slice(0, 10))).toBe(1);
      expect(await chain.firstSequenceFrom("2999-01-01")).toBeNull();
    });
  });
});
