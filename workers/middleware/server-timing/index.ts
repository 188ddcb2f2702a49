import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env.js";
import { StageTimings } from "./stage-timings.js";
import { withTimings } from "./timing-scope.js";

/**
 * Where a request's time went, as a W3C `Server-Timing` header on every answer (errors
 * included) when the var SERVER_TIMING is "on": on in local development, off in staging and
 * production, where stage times would tell a caller more than it should know (how long its key
 * took to check, whether it was cached).
 *
 * The clock: in production Workers `performance.now()` stands still while code runs and moves
 * only across I/O (Spectre mitigation), so there a stage is the time its awaited I/O took (the
 * granularity we want: a subrequest, a query, an object call) and pure computation reads 0.
 * Locally workerd's clock runs on (a 58 ms loop measured 58 ms), so local figures include CPU,
 * but in whole milliseconds (its `performance.now()` is `Date.now()`): one answer's stages are
 * coarse, and the benchmark reads them over thousands of answers.
 */
export function serverTiming(): MiddlewareHandler<AppEnv> {
  return async function serverTiming(c, next) {
    if (c.env.SERVER_TIMING !== "on") return next();
    const timings = new StageTimings();
    const started = performance.now();
    await withTimings(timings, next);
    c.res.headers.set("Server-Timing", timings.header(performance.now() - started));
  };
}
