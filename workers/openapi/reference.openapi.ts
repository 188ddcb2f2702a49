import { z } from "zod";
import { API_VERSIONS } from "../versions/api-versions.js";
import type { Operation } from "./operation.js";

/** Which version to describe; the latest without it. */
export const referenceQuerySchema = z.strictObject({
  api_version: z.enum(API_VERSIONS).optional(),
});

export const referenceOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/openapi.json",
    operationId: "openapiDocument",
    tag: "Platform",
    summary: "This OpenAPI 3.1 document",
    auth: { kind: "none" },
    query: referenceQuerySchema,
    success: { status: 200, description: "The document.", body: { schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: "get",
    path: "/docs",
    operationId: "apiReference",
    tag: "Platform",
    summary: "The interactive API reference (HTML)",
    auth: { kind: "none" },
    query: referenceQuerySchema,
    success: { status: 200, description: "An HTML page.", body: { schema: z.string(), contentType: "text/html" } },
  },
];
