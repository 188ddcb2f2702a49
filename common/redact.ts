/**
 * Redaction for anything that leaves the process as text (logs, error messages). PCI DSS 3.4 and
 * 10.3: no PAN, CVV or credential may be written to a log. Applied to the whole serialized line,
 * so a secret that slipped into an unexpected field is still caught. Shared by the edge's logger
 * and the vault's (the one place a PAN is ever in memory in clear).
 */
const CREDENTIAL = /\b(sk|pk|rk)_(test|live)_[0-9A-Za-z]+/g;
const WEBHOOK_SECRET = /\bwhsec_[0-9A-Za-z+/=]+/g;
const CLIENT_SECRET = /\bocs_[0-9A-Za-z]+/g;
const BEARER = /\b(Bearer|Basic)\s+[0-9A-Za-z\-._~+/]+=*/gi;
const JWT = /\beyJ[0-9A-Za-z_-]+\.[0-9A-Za-z_-]+\.[0-9A-Za-z_-]*/g;
// 13-19 digits, optionally grouped by spaces or dashes: every card length in ISO/IEC 7812.
const CARD_NUMBER = /\b\d(?:[ -]?\d){12,18}\b/g;

export function redact(text: string): string {
  return text
    .replace(CREDENTIAL, (_m, kind: string, mode: string) => `${kind}_${mode}_[REDACTED]`)
    .replace(WEBHOOK_SECRET, "whsec_[REDACTED]")
    .replace(CLIENT_SECRET, "ocs_[REDACTED]")
    .replace(JWT, "[REDACTED_JWT]")
    .replace(BEARER, (_m, scheme: string) => `${scheme} [REDACTED]`)
    .replace(CARD_NUMBER, "[REDACTED_NUMBER]");
}
