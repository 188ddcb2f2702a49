import { describeError, type LogLevel, writeLogLine } from "../../common/log-line.js";

export { describeError };

/** The edge's structured log: one redacted JSON object per line. */
export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  writeLogLine(level, { message, time: new Date().toISOString(), ...fields });
}
