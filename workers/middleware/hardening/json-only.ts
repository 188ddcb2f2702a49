import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env.js";
import { ApiError } from "../../errors/api-error.js";

/**
 * RFC 6749 §4.4.2: the token request is form-encoded, and the token endpoint answers a wrong
 * media type itself, in the RFC's error shape (`invalid_request`) that OAuth clients parse.
 */
const OWN_MEDIA_TYPE = new Set(["/oauth/token"]);

/** The UPI switch's callbacks are NPCI XML, read only after their signature verifies (workers/connectors/upi/). */
const OWN_MEDIA_TYPE_PREFIXES = ["/network/upi/"];

function speaksOwnMediaType(path: string): boolean {
  return OWN_MEDIA_TYPE.has(path) || OWN_MEDIA_TYPE_PREFIXES.some((prefix) => path.startsWith(prefix));
}

function hasBody(headers: Headers): boolean {
  const length = headers.get("Content-Length");
  return headers.has("Transfer-Encoding") || (length !== null && length !== "0");
}

/**
 * 415 for a request body that is not JSON. Checked on the media type, not by sniffing: a
 * form-encoded or multipart body must not reach a JSON parser that might half-accept it.
 */
export function jsonOnly(): MiddlewareHandler<AppEnv> {
  return async function jsonOnly(c, next) {
    const checked = !["GET", "HEAD", "OPTIONS"].includes(c.req.method) && !speaksOwnMediaType(c.req.path);
    if (checked && hasBody(c.req.raw.headers)) {
      const type = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json") throw new ApiError("unsupported_media_type", { param: "Content-Type" });
    }
    await next();
  };
}
