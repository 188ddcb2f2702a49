import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readJsonBody, readQuery } from "../validation/request-body.js";
import { apiKeyCache } from "./api-key-cache.js";
import {
  findMerchantKey,
  insertApiKey,
  type KeyOwner,
  listMerchantKeys,
  revokeMerchantKey,
  rollMerchantKey,
} from "./api-keys.repository.js";
import { createApiKeySchema, emptyBodySchema, listQuerySchema, rollApiKeySchema } from "./api-keys.schemas.js";
import { apiKeyView } from "./api-keys.view.js";
import { assertMayMint, mintedAllowlist } from "./key-power.js";

const notFound = (id: string) =>
  new ApiError("resource_missing", { param: "id", message: `No such api_key: '${id}'.` });

/** The keys a key may see: its merchant's, in its own mode (a test key never touches a live one). */
function ownerOf(c: Context<AppEnv>): KeyOwner {
  const { merchantId, livemode } = c.var.apiKey!;
  return { merchantId, livemode };
}

/** A merchant's own keys: create, list, read, roll, revoke. Mounted at `/v1/api_keys`. */
export const apiKeyRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .post("/", async (c) => {
    const body = await readJsonBody(c, createApiKeySchema);
    const caller = c.var.apiKey!;
    assertMayMint(caller);
    const issued = await insertApiKey(await c.var.db(), c.env.API_KEY_PEPPER, {
      merchantId: caller.merchantId,
      type: body.type,
      livemode: caller.livemode,
      name: body.name,
      allowedIps: mintedAllowlist(caller, body.allowed_ips),
    });
    await recordAudit(c, "api_key.created", issued.row.id);
    return c.json(apiKeyView(issued.row, issued.secret), 201);
  })
  .get("/", async (c) => {
    const query = readQuery(c, listQuerySchema);
    const owner = ownerOf(c);
    const db = await c.var.db();
    const after = query.starting_after ? await findMerchantKey(db, owner, query.starting_after) : undefined;
    if (query.starting_after && !after) throw new ApiError("resource_missing", { param: "starting_after" });
    const limit = query.limit ?? 10;
    const rows = await listMerchantKeys(db, owner, limit, after?.id);
    return c.json({
      object: "list",
      url: "/v1/api_keys",
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map((row) => apiKeyView(row)),
    });
  })
  .get("/:id", async (c) => {
    const row = await findMerchantKey(await c.var.db(), ownerOf(c), c.req.param("id"));
    if (!row) throw notFound(c.req.param("id"));
    return c.json(apiKeyView(row));
  })
  .post("/:id/roll", async (c) => {
    const body = await readJsonBody(c, rollApiKeySchema);
    const id = c.req.param("id");
    assertMayMint(c.var.apiKey!);
    const result = await rollMerchantKey(
      await c.var.db(),
      c.env.API_KEY_PEPPER,
      ownerOf(c),
      id,
      body.expires_in_seconds ?? 0,
    );
    if (result === "not_found") throw notFound(id);
    if (result === "not_active") {
      throw new ApiError("parameter_invalid", {
        param: "id",
        message: `api_key '${id}' is revoked, expired or already rolled.`,
      });
    }
    apiKeyCache.forgetKey(id);
    await recordAudit(c, "api_key.rolled", id, { rolled_to: result.issued.row.id });
    return c.json({ ...apiKeyView(result.issued.row, result.issued.secret), previous: apiKeyView(result.old) }, 201);
  })
  .post("/:id/revoke", async (c) => {
    await readJsonBody(c, emptyBodySchema);
    const id = c.req.param("id");
    const row = await revokeMerchantKey(await c.var.db(), ownerOf(c), id);
    if (!row) throw notFound(id);
    apiKeyCache.forgetKey(id);
    await recordAudit(c, "api_key.revoked", id);
    return c.json(apiKeyView(row));
  });
