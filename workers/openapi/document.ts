import { z } from "zod";
import { webhookDescriptions } from "../events/events.webhooks.openapi.js";
import { API_VERSION_CHANGES, type ApiVersion, LATEST_API_VERSION } from "../versions/api-versions.js";
import { SHARED_COMPONENTS } from "./components.js";
import { ERROR_SCHEMAS, operationErrors } from "./error-responses.js";
import type { Operation, ResponseBody } from "./operation.js";
import { OPERATIONS, RESOURCES } from "./operations.js";
import { TAG_DESCRIPTIONS } from "./tags.js";

type JsonSchema = Record<string, unknown>;
const OAUTH_CODES = new Set(["invalid_client", "invalid_grant_request", "unsupported_grant_type", "invalid_scope"]);
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const SAFE = Number.MAX_SAFE_INTEGER;

/** Drops the ±2^53 bounds zod gives every integer: true, but noise to a reader. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, inner]) => !((key === "minimum" || key === "maximum") && Math.abs(inner as number) === SAFE))
      .map(([key, inner]) => [key, tidy(inner)]),
  );
}

/** A request schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), from what the route parses. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as JsonSchema;
  return tidy(json) as JsonSchema;
}

function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string; description?: string }>();
  for (const schema of RESOURCES) {
    const meta = schema.meta() as { id: string; description?: string };
    registry.add(schema, meta);
  }
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "output",
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...json }]) => [name, tidy(json) as JsonSchema]),
  );
}

function bodySchema(body: ResponseBody): JsonSchema {
  if ("schema" in body) return inputSchema(body.schema);
  if (!body.list) return ref(body.resource);
  return {
    type: "object",
    required: ["object", "url", "has_more", "data"],
    properties: {
      object: { const: "list" },
      url: { type: "string" },
      has_more: { type: "boolean", description: "More after the last item: pass its id as `starting_after`." },
      data: { type: "array", items: ref(body.resource) },
    },
  };
}

function parameters(op: Operation): JsonSchema[] {
  const params: JsonSchema[] = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  if (op.query) {
    const query = inputSchema(op.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      params.push({
        name,
        in: "query",
        required: query.required?.includes(name) ?? false,
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  }
  if (op.path.startsWith("/v1/") && op.auth.kind === "secret_key")
    params.push({ $ref: "#/components/parameters/ApiVersion" });
  if (op.idempotent) params.push({ $ref: "#/components/parameters/IdempotencyKey" });
  return params;
}

function security(op: Operation): JsonSchema[] {
  switch (op.auth.kind) {
    case "none":
      return [];
    case "secret_key":
      // The dashboard reaches the same routes through its session (workers/dashboard-auth/).
      return [{ secretKey: [] }, { dashboardSession: [] }];
    case "dashboard_session":
      return [{ dashboardSession: [] }];
    case "ops":
      return [{ opsToken: [op.auth.scope] }];
    case "client_credentials":
      return [{ clientBasic: [] }, {}];
    case "vault_service":
      return [{ vaultServiceToken: [] }];
    case "upi_switch":
    case "wallet":
      return [];
    default: {
      const unreachable: never = op.auth;
      throw new Error(`unknown auth ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Headers by status: every answer has a request id; past auth, a merchant's also has its version
 * headers, and a merchant's or ops client's its rate-limit headers, as does every 429.
 */
function headersFor(op: Operation, status: number): JsonSchema {
  const pastAuth = status !== 401 && status !== 403;
  const merchant = op.auth.kind === "secret_key" && pastAuth;
  const limited = status === 429 || ((op.auth.kind === "secret_key" || op.auth.kind === "ops") && pastAuth);
  return {
    "Request-Id": { $ref: "#/components/headers/RequestId" },
    ...(merchant ? { "Api-Version": { $ref: "#/components/headers/ApiVersion" } } : {}),
    ...(limited
      ? {
          "RateLimit-Limit": { $ref: "#/components/headers/RateLimitLimit" },
          "RateLimit-Remaining": { $ref: "#/components/headers/RateLimitRemaining" },
          "RateLimit-Reset": { $ref: "#/components/headers/RateLimitReset" },
        }
      : {}),
    ...(status === 429 ? { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } : {}),
    ...(op.idempotent && status < 500
      ? { "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" } }
      : {}),
  };
}

function responses(op: Operation): JsonSchema {
  const out: JsonSchema = {
    [op.success.status]: {
      description: op.success.description,
      headers: headersFor(op, op.success.status),
      ...(op.success.body
        ? {
            content: {
              [("contentType" in op.success.body && op.success.body.contentType) || "application/json"]: {
                schema: bodySchema(op.success.body),
              },
            },
          }
        : {}),
    },
  };
  if (op.pending && op.success.body) {
    out[202] = {
      description: op.pending,
      headers: headersFor(op, 202),
      content: { "application/json": { schema: bodySchema(op.success.body) } },
    };
  }
  for (const [status, codes] of operationErrors(op)) {
    const oauth = codes.every((code) => OAUTH_CODES.has(code));
    out[status] = {
      description: `Error codes: ${codes.map((code) => `\`${code}\``).join(", ")}.`,
      headers: headersFor(op, status),
      content: { "application/json": { schema: ref(oauth ? "OAuthError" : "Error") } },
    };
  }
  return out;
}

function requestBody(op: Operation): JsonSchema | undefined {
  if (op.xmlBody) {
    return { required: true, content: { "application/xml": { schema: { type: "string", description: op.xmlBody } } } };
  }
  const body = op.body ?? op.formBody;
  if (!body) return undefined;
  const schema = inputSchema(body);
  return {
    required: op.formBody !== undefined || ((schema.required as unknown[] | undefined)?.length ?? 0) > 0,
    content: { [op.formBody ? "application/x-www-form-urlencoded" : "application/json"]: { schema } },
  };
}

function operationObject(op: Operation): JsonSchema {
  const body = requestBody(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: security(op),
    parameters: parameters(op),
    ...(body ? { requestBody: body } : {}),
    responses: responses(op),
  };
}

function description(version: ApiVersion): string {
  const changes = API_VERSION_CHANGES.map((change) => `- **${change.version}**: ${change.description}`).join("\n");
  return [
    "An edge-first payment gateway. Amounts are integers in the currency's minor unit. Every error is JSON with a stable `code`; a wrong method is 405 with `Allow`; bodies are JSON of at most 256 KiB. Over a rate limit the answer is 429 `rate_limit_error` with `Retry-After`: per merchant and endpoint group, per ops client, and, for callers that fail to authenticate (no key, or a malformed, unknown, revoked or expired one), per client address.",
    "",
    `This document describes API version **${version}** (latest: ${LATEST_API_VERSION}; \`?api_version=\` gives another). Send \`Api-Version\` to pin a version; without it, your account's default applies. Changes:`,
    "",
    changes,
  ].join("\n");
}

/** The OpenAPI 3.1 document of `version`, from the operations and their zod schemas. */
export function buildOpenApiDocument(version: ApiVersion = LATEST_API_VERSION): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = operationObject(op);
  }
  const document: JsonSchema = {
    openapi: "3.1.1",
    info: {
      title: "Edge Payment Gateway API",
      version,
      description: description(version),
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: "/", description: "This gateway" }],
    tags: [...new Set([...OPERATIONS.map((op) => op.tag), "Webhooks"])].map((name) => ({
      name,
      description: TAG_DESCRIPTIONS[name] ?? "",
    })),
    paths,
    webhooks: webhookDescriptions(),
    components: {
      schemas: { ...componentSchemas(), ...ERROR_SCHEMAS },
      ...structuredClone(SHARED_COMPONENTS),
    },
  };
  // An older version is the latest with each newer change undone, newest first.
  for (const change of [...API_VERSION_CHANGES].reverse()) {
    if (change.version > version) change.downgradeDocument?.(document);
  }
  return document;
}

const cached = new Map<ApiVersion, JsonSchema>();

/** Built once per isolate and version. */
export function openApiDocument(version: ApiVersion = LATEST_API_VERSION): JsonSchema {
  let document = cached.get(version);
  if (!document) {
    document = buildOpenApiDocument(version);
    cached.set(version, document);
  }
  return document;
}
