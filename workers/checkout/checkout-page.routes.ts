import { type Context, Hono } from "hono";
import type { PayAnswer, ReturnAnswer } from "../../durable-objects/checkout-session/checkout-session.object.js";
import type { CheckoutSessionRecord } from "../../durable-objects/checkout-session/checkout-session-record.js";
import { successRedirect } from "../../durable-objects/checkout-session/success-redirect.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { timedObjectCall } from "../middleware/server-timing/timing-scope.js";
import { prepareCreate } from "../payments/create-payment.js";
import { asStranger } from "../rate-limits/strangers.js";
import { readJsonBody } from "../validation/request-body.js";
import { checkoutStatePage, openCheckoutPage } from "./checkout-page.html.js";
import { checkoutSessionStub } from "./checkout-session-stub.js";
import { payCheckoutSessionSchema } from "./checkout-sessions.schemas.js";
import { hostedPayment } from "./hosted-payment.js";

/** SHA-256 of `border:0;width:100%;height:150px`, the style attribute pay.js puts on its card frame. */
const PAY_JS_FRAME_STYLE = "sha256-oG5TWaNkEINNB3zEPrQNshgxpwDyn4ADan22UwLyO1I=";

/**
 * The page's policy (CSP Level 3): its own styles and scripts by a per-response nonce only, the
 * vault's origin as the only frame (the card fields), requests to its own origin only, no forms
 * posting anywhere, and no one may frame it (clickjacking).
 */
function pagePolicy(nonce: string, vaultOrigin: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // pay.js sizes its iframe with one style attribute; CSP3 allows exactly that one by its hash.
    `style-src 'nonce-${nonce}' 'unsafe-hashes' '${PAY_JS_FRAME_STYLE}'`,
    `frame-src ${vaultOrigin}`,
    "connect-src 'self'",
    // The page names no icon of its own (a data: URL), so browsers ask for no /favicon.ico.
    "img-src data:",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The session a link names, or null. Counted as a stranger's guess when it names none, so a flood
 * of guessed ids is answered 429 (as the wallet's pages are).
 */
async function sessionOf(c: Context<AppEnv>): Promise<CheckoutSessionRecord | null> {
  try {
    return await asStranger(c, async () => {
      const session = await checkoutSessionStub(c.env, c.req.param("id") ?? "").page();
      if (!session) throw new ApiError("signature_invalid");
      return session;
    });
  } catch (error) {
    if (error instanceof ApiError && error.status !== 429) return null;
    throw error;
  }
}

/** The session after asking its waiting payment (the wallet's or UPI's) how it stands. */
async function waitingSession(c: Context<AppEnv>): Promise<ReturnAnswer> {
  if (!(await sessionOf(c))) return { kind: "missing" };
  return timedObjectCall<ReturnAnswer>(() => checkoutSessionStub(c.env, c.req.param("id") ?? "").returned());
}

/**
 * The hosted checkout page (issue 18): public, the session id in the link is the customer's
 * capability. Server-rendered HTML; the card number goes only into the vault's frame, and the
 * page posts the resulting token to its own `pay`, with the secret the page was served with.
 */
export const checkoutPageRoutes = new Hono<AppEnv>()
  .get("/:id", async (c) => {
    const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const vaultOrigin = new URL(c.env.VAULT_URL).origin;
    c.header("Content-Security-Policy", pagePolicy(nonce, vaultOrigin));
    c.header("Cache-Control", "no-store");
    const session = await sessionOf(c);
    if (!session) return c.html(checkoutStatePage("missing", nonce), 404);
    if (session.status === "complete") {
      return c.html(checkoutStatePage("complete", nonce, session, successRedirect(session)));
    }
    // Past its time, it is expired whatever the alarm has done yet (it may be running late).
    if (session.status === "expired" || Date.now() >= session.expires_at) {
      return c.html(checkoutStatePage("expired", nonce, session), 410);
    }
    return c.html(openCheckoutPage(session, { nonce, vaultOrigin }));
  })
  .post("/:id/pay", async (c) => {
    // CSRF (OWASP's origin check plus a secret token): the browser sets Origin on every POST and
    // a page cannot forge it; the page secret is known only to a page this gateway served.
    const origin = new URL(c.req.url).origin;
    if (c.req.header("Origin") !== origin) {
      throw new ApiError("origin_not_allowed", { message: "A checkout is paid only from its own page." });
    }
    const body = await readJsonBody(c, payCheckoutSessionSchema);
    const id = c.req.param("id");
    const session = await sessionOf(c);
    const missing = new ApiError("resource_missing", { param: "id", message: `No such checkout session: '${id}'.` });
    if (!session) throw missing;
    // Settled already: answered without preparing a payment (the object checks again, under its lock).
    if (session.status === "expired") throw new ApiError("checkout_session_expired");
    if (session.status === "complete") return c.json({ status: "complete", redirect_url: successRedirect(session) });
    if (!session.payment_method_types.includes(body.method)) {
      throw new ApiError("parameter_invalid", {
        param: "method",
        message: `This checkout does not take ${body.method} payments.`,
      });
    }
    const owner = { merchantId: session.merchant_id, livemode: session.livemode };
    const { create, key } = hostedPayment(session, body, origin);
    const { objectId, input } = await prepareCreate(c, owner, create, key, null);
    const answer = await timedObjectCall<PayAnswer>(() =>
      checkoutSessionStub(c.env, id).pay(body.page_secret, objectId.toString(), input),
    );
    switch (answer.kind) {
      case "missing":
        throw missing;
      case "expired":
        throw new ApiError("checkout_session_expired");
      case "complete":
        return c.json({ status: "complete", redirect_url: answer.redirect });
      case "processing":
        return c.json({ status: "processing" }, 202);
      case "approval":
        // The page sends the payer to the wallet's approval page (the payment's `next_action`), or
        // asks them to approve in their UPI app and waits (the status below).
        return answer.url
          ? c.json({ status: "requires_action", redirect_url: answer.url })
          : c.json({ status: "requires_action" });
      case "unpaid":
        // A decline is the answer, not a failed request (the session stays open for another
        // card): 200, so the page's console stays clean (issue 18 item 4).
        return c.json({
          status: "open",
          error: { type: "card_error", code: answer.error.code, message: answer.error.message },
        });
      default: {
        const unreachable: never = answer;
        throw new Error(`unhandled pay answer ${String(unreachable)}`);
      }
    }
  })
  .get("/:id/status", async (c) => {
    // The page asking while a UPI request waits in the payer's app: the session asks its payment.
    c.header("Cache-Control", "no-store");
    const answer = await waitingSession(c);
    switch (answer.kind) {
      case "missing":
        throw new ApiError("resource_missing", {
          param: "id",
          message: `No such checkout session: '${c.req.param("id")}'.`,
        });
      case "complete":
        return c.json({ status: "complete", redirect_url: answer.redirect });
      case "expired":
        return c.json({ status: "expired" });
      case "open":
        return c.json({ status: "open", waiting: answer.waiting, error: answer.error });
      default: {
        const unreachable: never = answer;
        throw new Error(`unhandled status answer ${String(unreachable)}`);
      }
    }
  })
  .get("/:id/return", async (c) => {
    // The payer back from PayPal, by the gateway's wallet return page. Nothing in the request is
    // believed (its payment_id and redirect_status are the browser's to forge): the session asks
    // its own PayPal payment, and the payer goes on to the merchant only once it is paid.
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    const id = c.req.param("id");
    const answer = await waitingSession(c);
    switch (answer.kind) {
      case "missing": {
        const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
        c.header("Content-Security-Policy", pagePolicy(nonce, new URL(c.env.VAULT_URL).origin));
        return c.html(checkoutStatePage("missing", nonce), 404);
      }
      case "complete":
        return c.redirect(answer.redirect, 303);
      case "expired":
      case "open":
        // Still at the wallet, failed, or expired meanwhile: the page says which.
        return c.redirect(`/checkout/${id}`, 303);
      default: {
        const unreachable: never = answer;
        throw new Error(`unhandled return answer ${String(unreachable)}`);
      }
    }
  });
