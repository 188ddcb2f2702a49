import type { MiddlewareHandler } from "hono";
import { newId } from "../../../common/ids.js";
import type { VaultEnv } from "../../vault-env.js";

/** Gives every request an id (`req_...`), returned as `Request-Id` on every response, errors included. */
export function requestId(): MiddlewareHandler<VaultEnv> {
  return async function requestId(c, next) {
    const id = newId("request");
    c.set("requestId", id);
    await next();
    c.res.headers.set("Request-Id", id);
  };
}
