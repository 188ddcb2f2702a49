import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readQuery } from "../validation/request-body.js";
import { listRequestLogs } from "./request-logs.repository.js";
import { listSchema } from "./request-logs.schemas.js";

/**
 * `GET /v1/request_logs`: the merchant's own requests of the last 30 days, newest first, made
 * with keys of the caller's mode (a test key does not see what live keys did).
 */
export const requestLogRoutes = new Hono<AppEnv>().use(secretKeyAuth()).get("/", async (c) => {
  const query = readQuery(c, listSchema);
  const limit = query.limit ?? 10;
  const rows = await listRequestLogs(await c.var.db(), {
    owner: c.var.apiKey!,
    limit,
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.path ? { path: query.path } : {}),
    ...(query.starting_after ? { startingAfter: query.starting_after } : {}),
  });
  return c.json({
    object: "list",
    url: "/v1/request_logs",
    has_more: rows.length > limit,
    data: rows.slice(0, limit).map((row) => ({
      id: row.id,
      object: "request_log" as const,
      livemode: row.livemode,
      method: row.method,
      path: row.path,
      status: row.status,
      latency_ms: row.latencyMs,
      error_code: row.errorCode,
      api_version: row.apiVersion,
      api_key: row.apiKeyId,
      created: Math.floor(row.createdAt.getTime() / 1000),
    })),
  });
});
