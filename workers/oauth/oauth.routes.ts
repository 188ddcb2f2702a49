import { Hono } from "hono";
import { hashCredential } from "../../common/api-key-secret.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { timingSafeEqualHex } from "../net/timing-safe.js";
import { clientCredentials } from "./client-credentials.js";
import { findOpsClient } from "./ops-clients.repository.js";
import { isOpsScope } from "./ops-scopes.js";
import { issueOpsToken, OPS_TOKEN_TTL_SECONDS } from "./ops-token.js";
import { signingKeys } from "./signing-keys.js";

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

/** The ops API's OAuth 2.0 authorization server: client credentials grant and JWKS. */
export const oauthRoutes = new Hono<AppEnv>()
  .post("/oauth/token", async (c) => {
    const form = await readForm(c.req.raw);
    if (form.grant_type === undefined)
      throw new ApiError("invalid_grant_request", { message: "grant_type is required." });
    if (form.grant_type !== "client_credentials") throw new ApiError("unsupported_grant_type");

    const credentials = clientCredentials(c.req.header("Authorization"), form);
    if (credentials === "ambiguous") {
      throw new ApiError("invalid_grant_request", { message: "Authenticate the client one way only." });
    }
    if (credentials === "missing") throw new ApiError("invalid_client", { headers: CLIENT_CHALLENGE });
    const client = await findOpsClient(await c.var.db(), credentials.clientId);
    const presented = await hashCredential(c.env.API_KEY_PEPPER, credentials.clientSecret);
    if (!client || client.revokedAt || !timingSafeEqualHex(client.secretHash, presented)) {
      throw new ApiError("invalid_client", { headers: CLIENT_CHALLENGE });
    }

    // §3.3: an omitted scope means the client's full grant; a requested one must be a subset.
    const requested = form.scope ? form.scope.split(" ").filter(Boolean) : client.scopes;
    const refused = requested.filter((scope) => !isOpsScope(scope) || !client.scopes.includes(scope));
    if (refused.length > 0)
      throw new ApiError("invalid_scope", { message: `Scope not granted: ${refused.join(" ")}.` });

    const accessToken = await issueOpsToken(c.env, client.id, requested);
    c.header("Cache-Control", "no-store"); // §5.1
    return c.json({
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: OPS_TOKEN_TTL_SECONDS,
      scope: requested.join(" "),
    });
  })
  .get("/.well-known/jwks.json", async (c) => {
    const { jwks } = await signingKeys(c.env);
    c.header("Cache-Control", "public, max-age=300");
    return c.json(jwks);
  });
