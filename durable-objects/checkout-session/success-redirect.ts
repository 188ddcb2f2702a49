import type { CheckoutSessionRecord } from "./checkout-session-record.js";

/** Stripe's placeholder: the merchant's success URL may name where the session id goes. */
export const SESSION_ID_PLACEHOLDER = "{CHECKOUT_SESSION_ID}";

/**
 * Where the customer goes once paid: the merchant's `success_url` with the session id in place of
 * `{CHECKOUT_SESSION_ID}`, or, without the placeholder, as a `session_id` query parameter. The
 * merchant reads the session (or its webhook) to know the outcome: the URL proves nothing.
 */
export function successRedirect(session: Pick<CheckoutSessionRecord, "id" | "success_url">): string {
  if (session.success_url.includes(SESSION_ID_PLACEHOLDER)) {
    return session.success_url.replaceAll(SESSION_ID_PLACEHOLDER, session.id);
  }
  const url = new URL(session.success_url);
  url.searchParams.set("session_id", session.id);
  return url.toString();
}
