import { z } from "zod";
import type { Operation } from "../openapi/operation.js";
import { auditChainQuerySchema } from "./audit-chain.schemas.js";

const link = z.strictObject({ sequence: z.number().int(), hash: z.string().regex(/^[0-9a-f]{64}$/) });

export const auditChainOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/ops/audit/chain",
    operationId: "listAuditChainObjects",
    tag: "Ops",
    summary: "Read the audit hash chain's objects",
    description:
      "A page of the audit trail's chained objects as stored in R2, each object's exact bytes in base64, for a verifier to recompute every hash itself (`npm run audit:verify`). `head` is where the chain's Durable Object says the chain ends: objects past it are not listed.",
    auth: { kind: "ops", scope: "audit:read" },
    query: auditChainQuerySchema,
    success: {
      status: 200,
      description: "Up to `limit` objects (20 by default), in sequence order.",
      body: {
        schema: z.strictObject({
          object: z.literal("list"),
          head: link.describe("The chain's last object (sequence 0 while the chain is empty)."),
          first_sequence: z
            .number()
            .int()
            .nullable()
            .describe("With `from`: the first object sealed that day or later (null: none)."),
          has_more: z.boolean(),
          data: z.array(
            z.strictObject({
              key: z.string(),
              sequence: z.number().int(),
              size: z.number().int(),
              uploaded: z.string(),
              body_base64: z.string(),
            }),
          ),
        }),
      },
    },
  },
];
