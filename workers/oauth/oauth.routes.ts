import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { recordAuditAs } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { asStranger } from "../rate-limits/strangers.js";
import { isOpsScope } from "./ops-scopes.js";
import { issueOpsToken, OPS_TOKEN_TTL_SECONDS } from "./ops-token.js";
import { signingKeys } from "./signing-keys.js";
import { tokenRequest } from "./token-request.js";

/** The ops API's OAuth 2.0 authorization server: client credentials grant and JWKS. */
export const oauthRoutes = new Hono<AppEnv>()
  .post("/oauth/token", async (c) => {
    // A client is a stranger until its secret checks out: an address that keeps guessing is
    // answered 429 before the form is read, the client looked up or the secret hashed.
    const { form, client } = await asStranger(c, (stranger) => tokenRequest(c, stranger));

    // §3.3: an omitted scope means the client's full grant; a requested one must be a subset.
    const requested = form.scope ? form.scope.split(" ").filter(Boolean) : client.scopes;
    const refused = requested.filter((scope) => !isOpsScope(scope) || !client.scopes.includes(scope));
    if (refused.length > 0)
      throw new ApiError("invalid_scope", { message: `Scope not granted: ${refused.join(" ")}.` });

    const accessToken = await issueOpsToken(c.env, client.id, requested);
    const actor = { kind: "ops_client", id: client.id, merchant_id: null } as const;
    await recordAuditAs(c, actor, "ops_client.token_issued", client.id, { scope: requested.join(" ") });
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
