import type { Context } from "hono";
import type { z } from "zod";
import { type ParamProblem, parseJsonObject, zodProblem } from "../../common/request-params.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { timedStage } from "../middleware/server-timing/timing-scope.js";
import { assertDocumentedSchema } from "../openapi/documented-schema.js";
import { upgradeRequest } from "../versions/transform.js";

const toApiError = (problem: ParamProblem) =>
  new ApiError(problem.code, {
    ...(problem.param === undefined ? {} : { param: problem.param }),
    ...(problem.message === undefined ? {} : { message: problem.message }),
  });

/**
 * Reads and validates a JSON body before any side effect. Schemas are strict, so an unknown
 * field is an error naming it rather than something silently dropped. An empty body is `{}`.
 */
export function readJsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  return timedStage("validation", () => validatedBody(c, schema));
}

async function validatedBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  assertDocumentedSchema(c, "body", schema);
  const read = parseJsonObject(await c.req.text());
  if ("problem" in read) throw toApiError(read.problem);
  // A client on an older API version sends the old shape; the routes only know the latest.
  const version = c.get("apiVersion");
  const body = version ? upgradeRequest(version, c.req.method, c.req.path, read.body) : read.body;
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw toApiError(zodProblem(parsed.error, body));
  return parsed.data;
}

/** Validates query parameters the same way. */
export function readQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  assertDocumentedSchema(c, "query", schema);
  const query = c.req.query();
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw toApiError(zodProblem(parsed.error, query));
  return parsed.data;
}
