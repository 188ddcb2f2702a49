import { Hono } from "hono";
import { CHAIN_PREFIX, chainKey, sequenceOfKey } from "../../common/audit-chain/chain-object.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { readQuery } from "../validation/request-body.js";
import { auditChain } from "./audit-chain.js";
import { auditChainQuerySchema } from "./audit-chain.schemas.js";

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * `GET /v1/ops/audit/chain` (ops, `audit:read`): the chain's objects as R2 holds them, byte for
 * byte, so the verifier trusts nothing the gateway computes; it recomputes every hash, link and
 * Merkle root itself (`common/audit-chain/chain-verify.ts`). The head is read first: every object
 * up to it is in R2 (the chain writes an object before its head moves), and one being written
 * past it is left out. A missing object is simply absent from the page, for the verifier to name.
 */
export const auditChainRoutes = new Hono<AppEnv>().get("/chain", opsAuth("audit:read"), async (c) => {
  const query = readQuery(c, auditChainQuerySchema);
  if (query.after !== undefined && query.from !== undefined) {
    throw new ApiError("parameter_invalid", { param: "from", message: "Give after or from, not both." });
  }
  const limit = query.limit ?? 20;
  const chain = auditChain(c.env);
  const head = await chain.head();
  let after = query.after ?? 0;
  let firstSequence: number | null = null;
  if (query.from !== undefined) {
    firstSequence = await chain.firstSequenceFrom(query.from);
    after = firstSequence === null ? head.sequence : Math.max(firstSequence - 2, 0);
  }
  const listed =
    after >= head.sequence
      ? { objects: [], truncated: false }
      : await c.env.AUDIT_BUCKET.list({
          prefix: CHAIN_PREFIX,
          limit,
          ...(after > 0 ? { startAfter: chainKey(after) } : {}),
        });
  const data = [];
  for (const object of listed.objects) {
    const sequence = sequenceOfKey(object.key);
    if (sequence === null || sequence > head.sequence) continue;
    const stored = await c.env.AUDIT_BUCKET.get(object.key);
    if (!stored) continue;
    data.push({
      key: object.key,
      sequence,
      size: object.size,
      uploaded: object.uploaded.toISOString(),
      body_base64: base64(new Uint8Array(await stored.arrayBuffer())),
    });
  }
  const last = data[data.length - 1]?.sequence ?? head.sequence;
  return c.json({
    object: "list",
    head,
    first_sequence: firstSequence,
    has_more: listed.truncated && last < head.sequence,
    data,
  });
});
