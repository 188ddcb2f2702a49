import type { z } from "zod";
import { ApiError } from "../errors/api-error.js";

/** `["settlement_config", "schedule"]` -> `settlement_config[schedule]` (Stripe's param notation). */
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

/** Turns the first zod issue into an `ApiError` that names the parameter at fault. */
export function issueToApiError(error: z.ZodError, input: unknown): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError("parameter_invalid");
  if (issue.code === "unrecognized_keys") {
    const param = paramName([...issue.path, issue.keys[0] ?? ""]);
    return new ApiError("parameter_unknown", { param, message: `Received unknown parameter: ${param}.` });
  }
  const param = paramName(issue.path);
  const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
  if (missing) {
    return new ApiError("parameter_missing", { param, message: `Missing required param: ${param}.` });
  }
  return new ApiError("parameter_invalid", {
    param,
    message: param ? `Invalid ${param}: ${issue.message}` : issue.message,
  });
}
