import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "../errors/api-error.js";
import { issueToApiError } from "./zod-issue.js";

/**
 * Reads and validates a JSON body before any side effect. Schemas are strict, so an unknown
 * field is an error naming it rather than something silently dropped. An empty body is `{}`.
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError("body_not_json", { param: "body" });
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError("parameter_invalid", { param: "body", message: "The request body must be a JSON object." });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw issueToApiError(parsed.error, body);
  return parsed.data;
}

/** Validates query parameters the same way. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = c.req.query();
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw issueToApiError(parsed.error, query);
  return parsed.data;
}
