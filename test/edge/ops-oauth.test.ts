import { env, SELF } from "cloudflare:test";
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { BASE, call, expectError, opsToken } from "./support/api.js";

function tokenRequest(form: Record<string, string>, authorization?: string) {
  return SELF.fetch(`${BASE}/oauth/token`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(authorization ? { Authorization: authorization } : {}),
    },
    body: new URLSearchParams(form),
  });
}

const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
const merchantBody = { name: "Ops Made", email: "ops@shop.example", country: "GB", default_currency: "gbp" };

async function signWith(privateJwk: Record<string, unknown>, claims: Record<string, unknown>, kid: string) {
  const key = await importJWK({ ...privateJwk, alg: "ES256" }, "ES256");
  return new SignJWT({ scope: "merchants:write merchants:read", ...claims })
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer((claims.iss as string) ?? env.OAUTH_ISSUER)
    .setAudience((claims.aud as string) ?? "gateway-ops")
    .setSubject(env.TEST_OPS_CLIENT_ID)
    .setJti("test-jti")
    .setIssuedAt((claims.iat as number) ?? Math.floor(Date.now() / 1000))
    .setExpirationTime((claims.exp as number) ?? Math.floor(Date.now() / 1000) + 300)
    .sign(key);
}

describe("POST /oauth/token (RFC 6749 §4.4 client credentials)", () => {
  it("issues a short-lived ES256 JWT with a kid, by HTTP Basic or by body credentials", async () => {
    const byBasic = await tokenRequest(
      { grant_type: "client_credentials" },
      basic(env.TEST_OPS_CLIENT_ID, env.TEST_OPS_CLIENT_SECRET),
    );
    expect(byBasic.status).toBe(200);
    expect(byBasic.headers.get("Cache-Control")).toBe("no-store");
    const token = (await byBasic.json()) as Record<string, any>;
    expect(token).toMatchObject({
      token_type: "Bearer",
      expires_in: 300,
      scope: "merchants:read merchants:write api_keys:write dead_letters:read dead_letters:write",
    });
    const header = decodeProtectedHeader(token.access_token);
    expect(header.alg).toBe("ES256");
    const jwks = (await (await SELF.fetch(`${BASE}/.well-known/jwks.json`)).json()) as { keys: Record<string, any>[] };
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);

    const byBody = await tokenRequest({
      grant_type: "client_credentials",
      client_id: env.TEST_OPS_CLIENT_ID,
      client_secret: env.TEST_OPS_CLIENT_SECRET,
      scope: "merchants:read",
    });
    expect(byBody.status).toBe(200);
    expect(((await byBody.json()) as Record<string, any>).scope).toBe("merchants:read");
  });

  it("answers RFC 6749 §5.2 errors: invalid_client, unsupported_grant_type, invalid_scope, invalid_request", async () => {
    const wrongSecret = await tokenRequest(
      { grant_type: "client_credentials" },
      basic(env.TEST_OPS_CLIENT_ID, "ocs_wrong"),
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get("WWW-Authenticate")).toContain("Basic");
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_client" });

    const password = await tokenRequest(
      { grant_type: "password" },
      basic(env.TEST_OPS_CLIENT_ID, env.TEST_OPS_CLIENT_SECRET),
    );
    expect(await password.json()).toMatchObject({ error: "unsupported_grant_type" });

    const tooMuch = await tokenRequest(
      { grant_type: "client_credentials", scope: "merchants:write" },
      basic(env.TEST_READ_ONLY_OPS_CLIENT_ID, env.TEST_READ_ONLY_OPS_CLIENT_SECRET),
    );
    expect(tooMuch.status).toBe(400);
    expect(await tooMuch.json()).toMatchObject({ error: "invalid_scope" });

    const json = await SELF.fetch(`${BASE}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("ops routes", () => {
  it("need a bearer token with the route's scope", async () => {
    expectError(await call("POST", "/v1/merchants", { body: merchantBody }), 401, "authentication_error");
    const readOnly = await opsToken(env.TEST_READ_ONLY_OPS_CLIENT_ID, env.TEST_READ_ONLY_OPS_CLIENT_SECRET);
    const refused = await call("POST", "/v1/merchants", { bearer: readOnly, body: merchantBody });
    expectError(refused, 403, "authentication_error");
    expect(refused.headers.get("WWW-Authenticate")).toContain('error="insufficient_scope"');
    const created = await call("POST", "/v1/merchants", { bearer: await opsToken(), body: merchantBody });
    expect(created.status).toBe(201);
    const read = await call("GET", `/v1/merchants/${created.json.id}`, { bearer: readOnly });
    expect(read.status).toBe(200);
    expect(read.json.keys).toBeUndefined();
  });

  it("refuse a merchant's API key in place of an ops token", async () => {
    const created = await call("POST", "/v1/merchants", { bearer: await opsToken(), body: merchantBody });
    const response = await call("GET", `/v1/merchants/${created.json.id}`, { key: created.json.keys.secret.secret });
    expectError(response, 401, "authentication_error");
  });

  it("verify expiry, issuer, audience and signature", async () => {
    const signer = JSON.parse(env.OAUTH_SIGNING_KEYS).keys[0];
    const now = Math.floor(Date.now() / 1000);
    const good = await signWith(signer, {}, signer.kid);
    expect((await call("GET", "/v1/merchants/acct_nothing", { bearer: good })).status).toBe(404);

    const expired = await signWith(signer, { iat: now - 900, exp: now - 600 }, signer.kid);
    const wrongIssuer = await signWith(signer, { iss: "https://evil.example" }, signer.kid);
    const wrongAudience = await signWith(signer, { aud: "vault" }, signer.kid);
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const forged = await signWith(await exportJWK(privateKey), {}, signer.kid);
    for (const bearer of [expired, wrongIssuer, wrongAudience, forged, "not.a.jwt"]) {
      const response = await call("GET", "/v1/merchants/acct_nothing", { bearer });
      expectError(response, 401, "authentication_error");
      expect(response.json.error.code).toBe("ops_token_invalid");
    }
  });
});
