import { z } from "zod";
import { livemode, prefixedId, resource, unixSeconds } from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { listSchema } from "./request-logs.schemas.js";

const RequestLog = resource(
  "RequestLog",
  z.strictObject({
    id: prefixedId("req"),
    object: z.literal("request_log"),
    livemode: livemode.describe("The calling key's mode; each mode's requests are listed only to keys of that mode."),
    method: z.string(),
    path: z.string().describe("Redacted: nothing that looks like card data survives."),
    status: z.number().int(),
    latency_ms: z.number().int(),
    error_code: z.string().nullable(),
    api_version: z.string().nullable().describe("The API version the request ran on."),
    api_key: z.string().nullable(),
    created: unixSeconds,
  }),
  "A summary of one of your API requests, kept 30 days.",
);

export const requestLogOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/request_logs",
    operationId: "listRequestLogs",
    tag: "Request logs",
    summary: "List your recent requests",
    auth: { kind: "secret_key" },
    query: listSchema,
    success: {
      status: 200,
      description: "A page of requests, newest first.",
      body: { resource: "RequestLog", list: true },
    },
  },
];

export const requestLogResources = [RequestLog];
