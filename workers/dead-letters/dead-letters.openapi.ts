import { z } from "zod";
import type { Operation } from "../openapi/operation.js";

export const deadLetterOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/ops/dead_letters/{queue}",
    operationId: "listDeadLetters",
    tag: "Ops: dead letters",
    summary: "List a queue's parked dead letters",
    auth: { kind: "ops", scope: "dead_letters:read" },
    success: {
      status: 200,
      description: "Up to 100 letters.",
      body: {
        schema: z.strictObject({
          object: z.literal("list"),
          queue: z.string(),
          has_more: z.boolean(),
          data: z.array(z.strictObject({ key: z.string(), size: z.number().int(), uploaded: z.string() })),
        }),
      },
    },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/ops/dead_letters/{queue}/replay",
    operationId: "replayDeadLetters",
    tag: "Ops: dead letters",
    summary: "Replay dead letters onto their queue",
    description: "Up to 100 per call; each letter is deleted once sent. Consumers are idempotent.",
    auth: { kind: "ops", scope: "dead_letters:write" },
    success: {
      status: 200,
      description: "How many were replayed.",
      body: { schema: z.strictObject({ queue: z.string(), replayed: z.number().int(), has_more: z.boolean() }) },
    },
    errors: ["resource_missing"],
  },
];
