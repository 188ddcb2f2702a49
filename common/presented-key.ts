/**
 * The API key a client presented: `Authorization: Bearer <key>` (RFC 6750 §2.1) or HTTP Basic
 * with the key as user name and an empty password (RFC 7617), as Stripe's API accepts.
 */
export function presentedKey(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value, extra] = authorization.trim().split(/\s+/);
  if (!scheme || !value || extra !== undefined) return null;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    let decoded: string;
    try {
      decoded = atob(value);
    } catch {
      return null;
    }
    const user = decoded.split(":", 1)[0];
    return user ? user : null;
  }
  return null;
}
