/** A fresh CSP nonce per response (CSP Level 3 §6.7: unguessable, never reused). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The dashboard pages' policy (CSP Level 3): their one style block and one script by nonce only,
 * requests to their own origin only (the `/v1` API and the session API), forms (the filters) to
 * their own origin only, no frames in or out, no plugins, no `<base>` rewriting. No inline event
 * handler can run under it, so none is written.
 */
export function dashboardPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    // The pages name no icon of their own (a data: URL), so browsers ask for no /favicon.ico.
    "img-src data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** JSON for a `<script type="application/json">` block: no `</script>` break-out. */
export function dataBlock(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
