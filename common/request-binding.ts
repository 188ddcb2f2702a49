/** The call a service token is signed for: exactly what goes on the wire. */
export interface BoundRequest {
  method: string;
  /** The URL's path, e.g. `/internal/v1/authorize` (no scheme, host or query). */
  path: string;
  /** The exact body bytes sent (a string is sent, and hashed, as UTF-8). */
  body: string | ArrayBuffer;
}

/** The claims that bind a token to one request; the vault recomputes and compares each. */
export interface RequestBindingClaims {
  /** HTTP method, as RFC 9449 (DPoP) §4.2 `htm`. */
  htm: string;
  /**
   * HTTP path. RFC 9449's `htu` is the whole URI; the vault sits behind a proxy that terminates
   * TLS and may rename the host, so both sides can agree only on the path, hence our own claim.
   */
  htp: string;
  /** Body hash: base64url (RFC 4648 §5, unpadded) SHA-256 of the body bytes, like DPoP's `ath`. */
  bh: string;
}

function base64url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The binding claims for `request`. Web Crypto only, so the edge (workerd) and the vault (Node)
 * compute them with the same code path and cannot disagree on encoding.
 */
export async function requestBinding(request: BoundRequest): Promise<RequestBindingClaims> {
  const bytes: BufferSource = typeof request.body === "string" ? new TextEncoder().encode(request.body) : request.body;
  return {
    htm: request.method.toUpperCase(),
    htp: request.path,
    bh: base64url(await crypto.subtle.digest("SHA-256", bytes)),
  };
}
