import type { Context } from "hono";
import { isDatabaseOutage } from "../../common/database-outage.js";
import { redact } from "../../common/redact.js";
import type { AppEnv } from "../app-env.js";
import { describeError, log } from "../logging/logger.js";
import { ApiError } from "./api-error.js";
import type { ErrorCode } from "./error-catalog.js";

/** Token-endpoint errors keep RFC 6749 §5.2's own shape, which OAuth client libraries parse. */
const OAUTH_ERROR_CODES: Partial<Record<ErrorCode, string>> = {
  invalid_client: "invalid_client",
  invalid_grant_request: "invalid_request",
  unsupported_grant_type: "unsupported_grant_type",
  invalid_scope: "invalid_scope",
};

/** DESIGN.md's wire shape: `{ error: { type, code, message, param, decline_code, request_id } }`. */
export function renderError(c: Context<AppEnv>, error: ApiError): Response {
  const requestId = c.get("requestId");
  c.set("errorCode", error.code);
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const oauthCode = OAUTH_ERROR_CODES[error.code];
  if (oauthCode) {
    c.header("Cache-Control", "no-store");
    return c.json({ error: oauthCode, error_description: error.message, request_id: requestId }, error.status);
  }
  return c.json(
    {
      error: {
        type: error.type,
        code: error.code,
        message: error.message,
        ...(error.param === undefined ? {} : { param: error.param }),
        ...(error.declineCode === undefined ? {} : { decline_code: error.declineCode }),
        request_id: requestId,
      },
    },
    error.status,
  );
}

/**
 * The app's one `onError`. Known errors render as they are; the database lost under a request is
 * a 503 (`database_unavailable`, retry); anything else is our bug: it is logged with its stack
 * (redacted) and the client gets a generic 500 that leaks nothing.
 */
export function onError(error: Error, c: Context<AppEnv>): Response {
  if (!(error instanceof ApiError) && isDatabaseOutage(error)) {
    return onError(new ApiError("database_unavailable", { cause: error }), c);
  }
  if (error instanceof ApiError) {
    if (error.status >= 500)
      log("error", "request failed", { request_id: c.get("requestId"), ...describeError(error) });
    return renderError(c, error);
  }
  log("error", "unhandled error", { request_id: c.get("requestId"), ...describeError(error) });
  return renderError(c, new ApiError("internal_error"));
}

export function onNotFound(c: Context<AppEnv>): Response {
  return renderError(
    c,
    new ApiError("route_not_found", { message: `Unrecognized request URL (${c.req.method} ${redact(c.req.path)}).` }),
  );
}
