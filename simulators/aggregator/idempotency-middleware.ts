import type { MiddlewareHandler } from "hono";
import type { FormObject } from "./form-encoding.js";
import type { IdempotencyKeys } from "./idempotency.js";
import { StripeFailure } from "./stripe-error.js";

/** What ran is kept under its key: an answer that changed the books (2xx) or declined a card (402). */
const kept = (status: number) => (status >= 200 && status < 300) || status === 402;

/**
 * `Idempotency-Key` on a POST, as Stripe honours it: a replay answers the first answer again with
 * `Idempotent-Replayed: true` (and `Original-Request` naming the first request); other parameters
 * under the same key are a 400 `idempotency_error`, a key whose first request is still running a
 * 409 (the official client retries those).
 */
export function idempotency(keys: IdempotencyKeys): MiddlewareHandler<{
  Variables: { form: FormObject; requestId: string };
}> {
  return async function idempotentRequests(c, next) {
    const key = c.req.header("Idempotency-Key");
    if (c.req.method !== "POST" || key === undefined) return next();
    if (key.length === 0 || key.length > 255) {
      throw new StripeFailure(400, {
        type: "idempotency_error",
        message: "Idempotency keys must be 1 to 255 characters long.",
      });
    }
    const claim = keys.claim(key, keys.fingerprint(c.req.method, c.req.path, c.var.form));
    if (claim.kind === "mismatch") {
      throw new StripeFailure(400, {
        type: "idempotency_error",
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (claim.kind === "in_flight") {
      throw new StripeFailure(409, {
        type: "idempotency_error",
        code: "idempotency_key_in_use",
        message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      });
    }
    if (claim.kind === "replay") {
      return new Response(claim.answer.body, {
        status: claim.answer.status,
        headers: {
          "Content-Type": "application/json",
          "Idempotency-Key": key,
          "Idempotent-Replayed": "true",
          "Original-Request": claim.answer.requestId,
        },
      });
    }
    try {
      await next();
    } catch (error) {
      keys.release(key);
      throw error;
    }
    if (!kept(c.res.status)) return keys.release(key);
    keys.keep(key, { status: c.res.status, body: await c.res.clone().text(), requestId: c.var.requestId });
    c.header("Idempotency-Key", key);
  };
}
