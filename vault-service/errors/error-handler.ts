import type { Context } from "hono";
import { isDatabaseOutage } from "../../common/database-outage.js";
import { redact } from "../../common/redact.js";
import { describeError, log } from "../logging/logger.js";
import type { VaultEnv } from "../vault-env.js";
import { VaultError } from "./vault-error.js";

/** DESIGN.md's wire shape: `{ error: { type, code, message, param, request_id } }`. */
export function renderVaultError(c: Context<VaultEnv>, error: VaultError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(
    {
      error: {
        type: error.type,
        code: error.code,
        message: error.message,
        ...(error.param === undefined ? {} : { param: error.param }),
        request_id: c.get("requestId"),
      },
    },
    error.status,
  );
}

/**
 * The app's one `onError`. Known errors render as they are; Postgres not there or lost under the
 * request is a 503 (`database_unavailable`, logged, retry); anything else is our bug: logged
 * (redacted, with its stack) and answered with a 500 that says nothing about the cause.
 */
export function onVaultError(error: Error, c: Context<VaultEnv>): Response {
  if (error instanceof VaultError) return renderVaultError(c, error);
  if (isDatabaseOutage(error)) {
    log("error", "database unavailable", { request_id: c.get("requestId"), ...describeError(error) });
    return renderVaultError(c, new VaultError("database_unavailable"));
  }
  log("error", "unhandled error", { request_id: c.get("requestId"), ...describeError(error) });
  return renderVaultError(c, new VaultError("internal_error"));
}

export function onVaultNotFound(c: Context<VaultEnv>): Response {
  return renderVaultError(
    c,
    new VaultError("route_not_found", {
      message: `Unrecognized request URL (${c.req.method} ${redact(c.req.path)}).`,
    }),
  );
}
