import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { cardFrameHtml } from "./card-frame.js";
import { PAY_JS } from "./pay-js.js";

/** Looks up the origins a publishable key's merchant registered, or null for an unusable key. */
export type TokenizationOrigins = (publishableKey: string) => Promise<readonly string[] | null>;

/**
 * Browser tokenization: `pay.js` and the hosted card frame. The frame is served only for an
 * origin the merchant registered, and `frame-ancestors` lets only that origin embed it
 * (clickjacking); its script runs under a per-response nonce (CSP Level 3).
 */
export function browserRoutes(tokenizationOrigins: TokenizationOrigins) {
  return new Hono()
    .get("/pay.js", (c) => {
      c.header("Content-Type", "text/javascript; charset=utf-8");
      c.header("Cache-Control", "public, max-age=300");
      c.header("Cross-Origin-Resource-Policy", "cross-origin");
      return c.body(PAY_JS);
    })
    .get("/elements/card", async (c) => {
      const key = c.req.query("key") ?? "";
      const origin = c.req.query("origin") ?? "";
      const allowed = /^pk_(test|live)_[0-9A-Za-z]{32}$/.test(key) ? await tokenizationOrigins(key) : null;
      if (!allowed?.includes(origin)) {
        c.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        return c.text("This page may only be embedded by a site its merchant registered.", 403);
      }
      const nonce = randomBytes(16).toString("base64");
      c.header(
        "Content-Security-Policy",
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors ${origin}`,
      );
      c.header("Referrer-Policy", "no-referrer");
      c.header("X-Content-Type-Options", "nosniff");
      c.header("Cache-Control", "no-store");
      return c.html(cardFrameHtml({ publishableKey: key, parentOrigin: origin, nonce }));
    });
}
