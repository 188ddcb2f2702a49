import { redact } from "../../common/redact.js";

type Level = "info" | "warn" | "error";

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
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const entry = { level, message, service: "vault-service", time: new Date().toISOString(), ...fields };
  const line = redact(JSON.stringify(entry, withoutSensitiveFields));
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** A loggable view of an error: name, message and stack, never the raw object. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return {
      error_name: error.name,
      error_message: error.message,
      stack: error.stack,
      cause: error.cause === undefined ? undefined : describeError(error.cause),
    };
  }
  return { error_message: String(error) };
}
