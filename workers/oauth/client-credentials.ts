/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1): HTTP Basic with the
 * form-urlencoded client id and secret, or `client_id` / `client_secret` in the body. Using
 * both at once is refused (§2.3: "MUST NOT use more than one authentication method").
 */
export function clientCredentials(
  authorization: string | undefined,
  form: Record<string, string>,
): { clientId: string; clientSecret: string } | "missing" | "ambiguous" {
  const found = presented(authorization, form);
  // No client id or secret of ours holds a NUL, and Postgres refuses one in a text value (22021).
  if (typeof found === "object" && `${found.clientId}${found.clientSecret}`.includes("\u0000")) return "missing";
  return found;
}

function presented(
  authorization: string | undefined,
  form: Record<string, string>,
): { clientId: string; clientSecret: string } | "missing" | "ambiguous" {
  const inBody = form.client_id !== undefined || form.client_secret !== undefined;
  const [scheme, value] = authorization?.trim().split(/\s+/) ?? [];
  if (scheme?.toLowerCase() === "basic" && value) {
    if (inBody) return "ambiguous";
    let decoded: string;
    try {
      decoded = atob(value);
    } catch {
      return "missing";
    }
    const colon = decoded.indexOf(":");
    if (colon < 1) return "missing";
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    } catch {
      return "missing"; // a malformed %-escape (URIError) is bad credentials, not our error
    }
  }
  if (form.client_id && form.client_secret) return { clientId: form.client_id, clientSecret: form.client_secret };
  return "missing";
}
