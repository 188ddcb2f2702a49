import { z } from "zod";
import type { Operation } from "../openapi/operation.js";
import { OPS_SCOPES } from "./ops-scopes.js";

/** RFC 6749 §4.4.2: the client credentials grant's form. */
const tokenRequest = z.strictObject({
  grant_type: z.literal("client_credentials"),
  scope: z
    .string()
    .optional()
    .describe(`Space-separated subset of: ${OPS_SCOPES.join(", ")}. Omitted: all granted.`),
  client_id: z.string().optional().describe("Only when not using HTTP Basic."),
  client_secret: z.string().optional().describe("Only when not using HTTP Basic."),
});

export const oauthOperations: Operation[] = [
  {
    method: "post",
    path: "/oauth/token",
    operationId: "issueOpsToken",
    tag: "Ops: authentication",
    summary: "Get an ops access token (client credentials)",
    description: "RFC 6749 §4.4. Errors here use the RFC's own shape (`error`, `error_description`).",
    auth: { kind: "client_credentials" },
    formBody: tokenRequest,
    success: {
      status: 200,
      description: "A short-lived ES256 JWT.",
      body: {
        schema: z.strictObject({
          access_token: z.string(),
          token_type: z.literal("Bearer"),
          expires_in: z.number().int(),
          scope: z.string(),
        }),
      },
    },
  },
  {
    method: "get",
    path: "/.well-known/jwks.json",
    operationId: "jwks",
    tag: "Ops: authentication",
    summary: "Public keys of ops access tokens",
    auth: { kind: "none" },
    success: {
      status: 200,
      description: "A JSON Web Key Set (RFC 7517).",
      body: { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
    },
  },
];
