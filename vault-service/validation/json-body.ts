import type { Context } from "hono";
import type { z } from "zod";
import { VaultError } from "../errors/vault-error.js";

/** `["card", "exp_month"]` -> `card[exp_month]` (Stripe's param notation). */
export function paramName(path: readonly PropertyKey[]): string | undefined {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return undefined;
  return head + rest.map((part) => `[${part}]`).join("");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** The first zod issue as a `VaultError` naming the parameter. zod's messages never echo the input. */
function issueToVaultError(error: z.ZodError, input: unknown): VaultError {
  const issue = error.issues[0];
  if (!issue) return new VaultError("parameter_invalid");
  if (issue.code === "unrecognized_keys") {
    const param = paramName([...issue.path, issue.keys[0] ?? ""]);
    return new VaultError("parameter_unknown", { param, message: `Received unknown parameter: ${param}.` });
  }
  const param = paramName(issue.path);
  if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) {
    return new VaultError("parameter_missing", { param, message: `Missing required param: ${param}.` });
  }
  return new VaultError("parameter_invalid", {
    param,
    message: param ? `Invalid ${param}: ${issue.message}` : issue.message,
  });
}

/**
 * Reads and validates a JSON body before any side effect, with a strict schema (an unknown field
 * is an error naming it). Same rules as the edge's `readJsonBody`, rendered as vault errors.
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new VaultError("body_not_json", { param: "body" });
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new VaultError("parameter_invalid", { param: "body", message: "The request body must be a JSON object." });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw issueToVaultError(parsed.error, body);
  return parsed.data;
}
