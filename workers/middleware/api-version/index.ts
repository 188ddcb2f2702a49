import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";
import { API_VERSIONS, isApiVersion, LATEST_API_VERSION } from "../../versions/api-versions.js";
import { downgradeResponse } from "../../versions/transform.js";

/**
 * The seed's request transformation. `Api-Version` pins a version for one request; without it,
 * the merchant's default applies (set by secretKeyAuth once the merchant is known). Requests are
 * upgraded where they are read (readJsonBody); here the answer is downgraded on the way out,
 * errors included, and says which version it speaks.
 */
export function apiVersion(): MiddlewareHandler<AppEnv> {
  return async function apiVersion(c, next) {
    const header = c.req.header("Api-Version");
    if (header !== undefined) {
      if (!isApiVersion(header)) {
        throw new ApiError("parameter_invalid", {
          param: "Api-Version",
          message: `Unknown Api-Version '${header.slice(0, 40)}'; known versions: ${API_VERSIONS.join(", ")}.`,
        });
      }
      c.set("apiVersion", header);
    }
    await next();
    const version = c.var.apiVersion;
    if (!version) return;
    c.header("Api-Version", version);
    if (version === LATEST_API_VERSION || !c.res.headers.get("Content-Type")?.startsWith("application/json")) return;
    let latest: unknown;
    try {
      latest = await c.res.clone().json();
    } catch {
      return; // not a JSON body after all: nothing to reshape
    }
    const body = downgradeResponse(version, latest);
    if (body === latest) return;
    const headers = new Headers(c.res.headers);
    headers.delete("Content-Length");
    const status = c.res.status;
    c.res = undefined; // else Hono copies the old answer's headers (Content-Length too) onto the new
    c.res = new Response(JSON.stringify(body), { status, headers });
  };
}
