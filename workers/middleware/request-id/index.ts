import type { MiddlewareHandler } from "hono";
import { newId } from "../../../common/ids.js";
import type { AppEnv } from "../../app-env.js";

/**
 * Gives every request an id (`req_...`) and returns it as `Request-Id` on every response,
 * errors included, so a merchant can quote it and we can find the log line.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const id = newId("request");
    c.set("requestId", id);
    await next();
    c.res.headers.set("Request-Id", id);
  };
}
