import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../app-env.js";
import type { Operation } from "./operation.js";
import { OPERATIONS } from "./operations.js";

/** Operations by Hono route (`POST /v1/payments/:id/capture`). */
const BY_ROUTE = new Map<string, Operation>(
  OPERATIONS.map((op) => [`${op.method.toUpperCase()} ${op.path.replace(/\{(\w+)\}/g, ":$1")}`, op]),
);

/**
 * Keeps the OpenAPI document honest: in development (every test tier runs as development), a
 * route must validate with the very zod object its operation documents, or the request fails
 * loudly. Staging and production skip the check; the tests have already run it on every route.
 */
export function assertDocumentedSchema(c: Context<AppEnv>, part: "body" | "query", schema: z.ZodType): void {
  if (c.env.ENVIRONMENT !== "development") return;
  const route = `${c.req.method} ${c.req.routePath}`;
  const op = BY_ROUTE.get(route);
  if (op && op[part] !== schema) {
    throw new Error(
      `${route} validates its ${part} with a schema its OpenAPI operation (${op.operationId}) does not document`,
    );
  }
}
