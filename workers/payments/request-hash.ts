import { sha256Hex } from "../../common/sha256-hex.js";

/** Canonical JSON (keys sorted) so the same parameters hash alike whatever their order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** What an Idempotency-Key is bound to: the operation and its parameters (SHA-256, hex). */
export function requestHash(operation: string, params: unknown): Promise<string> {
  return sha256Hex(`${operation}\n${canonical(params)}`);
}
