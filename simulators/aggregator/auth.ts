import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { StripeFailure } from "./stripe-error.js";

/**
 * Stripe's authentication (docs.stripe.com/api/authentication): the secret key as a bearer token,
 * or as the HTTP Basic user name with no password (RFC 7617), as `curl -u sk_test_...:` sends it.
 * A missing or wrong key is a 401 `invalid_request_error`; the answer never repeats the key.
 */
export function secretKeyAuth(secretKey: string): MiddlewareHandler {
  const expected = digest(secretKey);
  return async function stripeAuth(c, next) {
    const presented = presentedKey(c.req.header("Authorization"));
    if (presented === null) {
      throw unauthorized(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    }
    // Compared as digests, in constant time: the answer must not tell how much of a guess was right.
    if (!timingSafeEqual(digest(presented), expected)) throw unauthorized("Invalid API Key provided.");
    await next();
  };
}

function presentedKey(header: string | undefined): string | null {
  const [scheme, credentials] = (header ?? "").trim().split(/\s+/, 2);
  if (!credentials) return null;
  if (/^bearer$/i.test(scheme ?? "")) return credentials;
  if (!/^basic$/i.test(scheme ?? "")) return null;
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  const user = decoded.split(":", 1)[0] ?? "";
  return user === "" ? null : user;
}

function digest(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

function unauthorized(message: string): StripeFailure {
  return new StripeFailure(401, { type: "invalid_request_error", message });
}
