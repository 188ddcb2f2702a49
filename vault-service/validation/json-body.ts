import type { Context } from "hono";
import type { z } from "zod";
import { type ParamProblem, parseJsonObject, zodProblem } from "../../common/request-params.js";
import { VaultError } from "../errors/vault-error.js";

const toVaultError = (problem: ParamProblem) =>
  new VaultError(problem.code, {
    ...(problem.param === undefined ? {} : { param: problem.param }),
    ...(problem.message === undefined ? {} : { message: problem.message }),
  });

/**
 * Reads and validates a JSON body before any side effect, with a strict schema (an unknown field
 * is an error naming it). Same rules as the edge's `readJsonBody`, rendered as vault errors.
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const read = parseJsonObject(await c.req.text());
  if ("problem" in read) throw toVaultError(read.problem);
  const parsed = schema.safeParse(read.body);
  if (!parsed.success) throw toVaultError(zodProblem(parsed.error, read.body));
  return parsed.data;
}
