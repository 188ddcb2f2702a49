import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { PayPalFailure } from "./paypal-error.js";

/** The scopes a PayPal REST app's token carries for what this simulator serves. */
const SCOPE = [
  "https://uri.paypal.com/services/payments/payment/authcapture",
  "https://uri.paypal.com/services/payments/refund",
  "https://uri.paypal.com/services/applications/webhooks",
  "openid",
].join(" ");
const APP_ID = "APP-80W284485P519543T";

const digest = (text: string) => createHash("sha256").update(text).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) as PayPal runs them (developer.paypal.com/api/rest/
 * authentication): `POST /v1/oauth2/token` with HTTP Basic `client_id:secret` and
 * `grant_type=client_credentials` gives a bearer token every other call presents. Tokens are
 * stateless: an expiry and random bytes under an HMAC keyed by the client secret, so they outlive
 * a restart of the simulator as PayPal's outlive a restart of one of its servers.
 */
export class AccessTokens {
  private readonly key: Buffer;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = digest(`wallet-simulator access tokens|${clientSecret}`);
  }

  /** Whether `Authorization: Basic ...` names this app. */
  clientMatches(header: string | undefined): boolean {
    const [scheme, credentials] = (header ?? "").trim().split(/\s+/, 2);
    if (!/^basic$/i.test(scheme ?? "") || !credentials) return false;
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    // Both compared, always: the time taken must not tell which one was wrong.
    const idOk = same(decoded.slice(0, colon), this.clientId);
    const secretOk = same(decoded.slice(colon + 1), this.clientSecret);
    return idOk && secretOk;
  }

  issue(now = Date.now()): { token: string; expiresIn: number } {
    const body = Buffer.alloc(24);
    body.writeBigUInt64BE(BigInt(Math.floor(now / 1000) + this.ttlSeconds));
    randomBytes(16).copy(body, 8);
    const mac = createHmac("sha256", this.key).update(body).digest().subarray(0, 24);
    return { token: `A21AA${Buffer.concat([body, mac]).toString("base64url")}`, expiresIn: this.ttlSeconds };
  }

  check(token: string, now = Date.now()): "valid" | "invalid" | "expired" {
    if (!token.startsWith("A21AA")) return "invalid";
    const raw = Buffer.from(token.slice(5), "base64url");
    if (raw.length !== 48) return "invalid";
    const mac = createHmac("sha256", this.key).update(raw.subarray(0, 24)).digest().subarray(0, 24);
    if (!timingSafeEqual(mac, raw.subarray(24))) return "invalid";
    return Number(raw.readBigUInt64BE()) * 1000 > now ? "valid" : "expired";
  }
}

/** `POST /v1/oauth2/token`: OAuth's own error shape (RFC 6749 §5.2), as PayPal answers it. */
export function createTokenApi(tokens: AccessTokens) {
  return new Hono().post("/v1/oauth2/token", async (c) => {
    if (!tokens.clientMatches(c.req.header("Authorization"))) {
      return c.json({ error: "invalid_client", error_description: "Client Authentication failed" }, 401);
    }
    const grant = new URLSearchParams(await c.req.text()).get("grant_type");
    if (grant !== "client_credentials") {
      const description = grant === null ? "Grant Type is NULL" : "unsupported grant_type";
      return c.json({ error: "unsupported_grant_type", error_description: description }, 400);
    }
    const { token, expiresIn } = tokens.issue();
    return c.json({
      scope: SCOPE,
      access_token: token,
      token_type: "Bearer",
      app_id: APP_ID,
      expires_in: expiresIn,
      nonce: `${new Date().toISOString().slice(0, 19)}Z${randomBytes(16).toString("base64url")}`,
    });
  });
}

/**
 * A bearer token on every API call. The v2 APIs answer a missing, unknown or expired one with
 * their 401 AUTHENTICATION_FAILURE; the v1 notifications API in OAuth's shape (`invalid_token`).
 */
export function bearerAuth(tokens: AccessTokens, shape: "v2" | "v1"): MiddlewareHandler {
  return async function paypalBearer(c, next) {
    const [scheme, token] = (c.req.header("Authorization") ?? "").trim().split(/\s+/, 2);
    const state = /^bearer$/i.test(scheme ?? "") && token ? tokens.check(token) : "invalid";
    if (state === "valid") return next();
    if (shape === "v2") throw new PayPalFailure(401);
    const description = state === "expired" ? "Access Token not found in cache" : "Token signature verification failed";
    return c.json({ error: "invalid_token", error_description: description }, 401);
  };
}
