import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readJsonBody } from "../validation/request-body.js";

const echoSchema = z.strictObject({ note: z.string().max(100) });

/**
 * `npm run bench:gateway`'s measured route: a trivial authenticated POST through the whole
 * gateway chain (request id, log line, security headers, body limit, JSON check, API key, rate
 * limit, validation). Its bare twin, `/bench/plain`, is answered before any of that
 * (bench-baselines.ts). Both exist only when the var BENCH_ROUTES is "on" (wrangler.toml says "off" in every
 * environment; the benchmark's local stack turns it on).
 */
export const benchRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.env.BENCH_ROUTES !== "on") throw new ApiError("route_not_found");
    await next();
  })
  .use(secretKeyAuth())
  .post("/gateway", async (c) => {
    const body = await readJsonBody(c, echoSchema);
    return c.json({ ok: true, note: body.note });
  });
