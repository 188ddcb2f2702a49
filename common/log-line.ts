import { redact } from "./redact.js";

export type LogLevel = "info" | "warn" | "error";

/**
 * Writes one structured JSON log line (Workers Logs, `wrangler tail` and log shippers index the
 * fields). Every line goes through `redact` after serialization, so a secret that slipped into an
 * unexpected field is still caught. `replacer` lets a zone drop fields by name as well.
 */
export function writeLogLine(
  level: LogLevel,
  entry: Record<string, unknown>,
  replacer?: (key: string, value: unknown) => unknown,
): void {
  const line = redact(JSON.stringify({ level, ...entry }, replacer));
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
