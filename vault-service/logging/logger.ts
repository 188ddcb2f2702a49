import { describeError, type LogLevel, writeLogLine } from "../../common/log-line.js";

export { describeError };

/** Field names that could carry cardholder data or a credential; their values never reach a log. */
const SENSITIVE_FIELDS = new Set(["number", "pan", "card", "card_number", "cvc", "cvv", "cvc2", "cvv2", "track"]);

function withoutSensitiveFields(key: string, value: unknown): unknown {
  return SENSITIVE_FIELDS.has(key.toLowerCase()) ? "[REDACTED]" : value;
}

/**
 * The vault's JSON-lines log. The cardholder data zone is where a PAN and CVC are in memory in
 * clear, so redaction is two-fold (PCI DSS 3.3.1, 3.4, 10.3): fields named like card data are
 * dropped by name (a CVC is three digits, no pattern could find it), and the whole serialized line
 * then goes through the shared `redact`, which removes anything shaped like a card number or key.
 */
export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  writeLogLine(
    level,
    { message, service: "vault-service", time: new Date().toISOString(), ...fields },
    withoutSensitiveFields,
  );
}
