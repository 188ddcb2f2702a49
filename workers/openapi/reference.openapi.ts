import { z } from "zod";
import type { Operation } from "./operation.js";

export const referenceOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/openapi.json",
    operationId: "openapiDocument",
    tag: "Platform",
    summary: "This OpenAPI 3.1 document",
    auth: { kind: "none" },
    success: { status: 200, description: "The document.", body: { schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: "get",
    path: "/docs",
    operationId: "apiReference",
    tag: "Platform",
    summary: "The interactive API reference (HTML)",
    auth: { kind: "none" },
    success: { status: 200, description: "An HTML page.", body: { schema: z.string(), contentType: "text/html" } },
  },
];
