import { z } from "zod";
import type { Operation } from "../openapi/operation.js";

export const healthOperations: Operation[] = [
  {
    method: "get",
    path: "/health",
    operationId: "health",
    tag: "Platform",
    summary: "Liveness",
    description: "No auth, no database: for load balancers.",
    auth: { kind: "none" },
    success: {
      status: 200,
      description: "The gateway is up.",
      body: { schema: z.strictObject({ status: z.literal("ok"), service: z.string(), environment: z.string() }) },
    },
  },
];
