import { Secret, TOTP } from "otpauth";

/**
 * The optional second factor: TOTP (RFC 6238) with the parameters every authenticator app
 * supports (HMAC-SHA-1, 6 digits, 30 s steps), via `otpauth`. A code is checked one step either
 * side of now (RFC 6238 §5.2 allows for clock drift), and answers the step it belongs to, so the
 * caller can refuse a step already used (the same section: a verifier must not accept a code twice).
 */
const ISSUER = "Payment Gateway";

function totp(base32Secret: string, email: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: email,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(base32Secret),
  });
}

/** A fresh 160-bit secret (RFC 4226 §4 recommends 160 bits), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app scans (Google's Key URI Format). */
export function totpUri(base32Secret: string, email: string): string {
  return totp(base32Secret, email).toString();
}

/** The time step `code` is valid for, or null when it matches none around `now`. */
export function totpStep(base32Secret: string, email: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const generator = totp(base32Secret, email);
  const delta = generator.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : generator.counter({ timestamp: now }) + delta;
}
