import type { Context } from "hono";
import { hashCredential } from "../../common/api-key-secret.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { timingSafeEqualHex } from "../net/timing-safe.js";
import type { Stranger } from "../rate-limits/strangers.js";
import { clientCredentials } from "./client-credentials.js";
import { findOpsClient, type OpsClientRow } from "./ops-clients.repository.js";

const CLIENT_CHALLENGE = { "WWW-Authenticate": 'Basic realm="gateway-ops"' };

async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new ApiError("invalid_grant_request", {
      message: "The token request must be application/x-www-form-urlencoded (RFC 6749 §4.4.2).",
    });
  }
  return Object.fromEntries(new URLSearchParams(await request.text()));
}

/**
 * A token request's form and its authenticated client (RFC 6749 §4.4.2, client authentication
 * per §2.3.1). Bad credentials are `invalid_client` (§5.2), whichever part was wrong.
 */
export async function tokenRequest(
  c: Context<AppEnv>,
  stranger: Stranger,
): Promise<{ form: Record<string, string>; client: OpsClientRow }> {
  const form = await readForm(c.req.raw);
  if (form.grant_type === undefined)
    throw new ApiError("invalid_grant_request", { message: "grant_type is required." });
  if (form.grant_type !== "client_credentials") throw new ApiError("unsupported_grant_type");

  const credentials = clientCredentials(c.req.header("Authorization"), form);
  if (credentials === "ambiguous") {
    throw new ApiError("invalid_grant_request", { message: "Authenticate the client one way only." });
  }
  if (credentials === "missing") throw new ApiError("invalid_client", { headers: CLIENT_CHALLENGE });
  stranger.reserve(); // the lookup and the hash are what a guesser would make us pay for
  const client = await findOpsClient(await c.var.db(), credentials.clientId);
  const presented = await hashCredential(c.env.API_KEY_PEPPER, credentials.clientSecret);
  if (!client || client.revokedAt || !timingSafeEqualHex(client.secretHash, presented)) {
    throw new ApiError("invalid_client", { headers: CLIENT_CHALLENGE });
  }
  return { form, client };
}
