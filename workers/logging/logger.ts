import { redact } from "../../common/redact.js";

type Level = "info" | "warn" | "error";

/**
 * Structured JSON logs, one object per line (Workers Logs and `wrangler tail` index the fields).
 * Every line goes through `redact` after serialization.
 */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const line = redact(JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }));
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
