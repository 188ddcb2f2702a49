import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { merchants } from "../../db/schema/index.js";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { readJsonBody } from "../validation/request-body.js";
import { DEFAULT_LIMITS, ENDPOINT_GROUPS, type GroupLimit, limitFor } from "./endpoint-groups.js";
import { overridesSchema } from "./rate-limits.schemas.js";
import { callsPerObject, shardCount } from "./shards.js";

function view(env: Env, merchantId: string, overrides: Partial<Record<string, GroupLimit>>) {
  return {
    object: "rate_limits" as const,
    merchant: merchantId,
    overrides,
    effective: Object.fromEntries(
      ENDPOINT_GROUPS.map((group) => {
        const limit = limitFor(group, overrides);
        return [
          group,
          { ...limit, limiter_objects: shardCount(limit.limit, limit.window_seconds, callsPerObject(env)) },
        ];
      }),
    ),
    defaults: DEFAULT_LIMITS,
  };
}

/**
 * Ops: a merchant's rate limits per endpoint group. `PUT` replaces the overrides (groups left
 * out go back to the defaults); running isolates pick the change up within the key-cache TTL.
 * Mounted at `/v1/merchants/{id}/rate_limits`.
 */
export const rateLimitRoutes = new Hono<AppEnv>()
  .get("/:id/rate_limits", opsAuth("merchants:read"), async (c) => {
    const [row] = await (await c.var.db())
      .select({ id: merchants.id, rateLimits: merchants.rateLimits })
      .from(merchants)
      .where(eq(merchants.id, c.req.param("id")));
    if (!row)
      throw new ApiError("resource_missing", { param: "id", message: `No such merchant: '${c.req.param("id")}'.` });
    return c.json(view(c.env, row.id, row.rateLimits));
  })
  .put("/:id/rate_limits", opsAuth("merchants:write"), async (c) => {
    const body = await readJsonBody(c, overridesSchema);
    const id = c.req.param("id");
    // The row is locked while read, so the trail's `previous` is exactly what this change replaced.
    const changed = await (await c.var.db()).transaction(async (tx) => {
      const [before] = await tx
        .select({ rateLimits: merchants.rateLimits })
        .from(merchants)
        .where(eq(merchants.id, id))
        .for("update");
      if (!before) return undefined;
      const [row] = await tx
        .update(merchants)
        .set({ rateLimits: body.limits as Record<string, GroupLimit>, updatedAt: new Date() })
        .where(eq(merchants.id, id))
        .returning({ id: merchants.id, rateLimits: merchants.rateLimits });
      return { row: row!, previous: before.rateLimits };
    });
    if (!changed) throw new ApiError("resource_missing", { param: "id", message: `No such merchant: '${id}'.` });
    const { row, previous } = changed;
    await recordAudit(c, "merchant.rate_limits_updated", row.id, {
      limits: JSON.stringify(body.limits),
      previous: JSON.stringify(previous),
    });
    return c.json(view(c.env, row.id, row.rateLimits));
  });
