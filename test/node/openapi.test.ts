import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/lib/start-config.js";
import { EVENT_TYPES } from "../../workers/events/event-types.js";
import { buildOpenApiDocument } from "../../workers/openapi/document.js";

/** Validity here (the validator compiles schemas, which workerd forbids); coverage of the app's routes in test/edge/openapi.test.ts. */
describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("is a valid OpenAPI 3.1 document by an independent validator (the spec's own JSON Schema)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("passes Redocly's recommended rules with no error, every operation saying who may call it", () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-lint-"));
    try {
      for (const version of [undefined, "2026-11-01"] as const) {
        const file = join(dir, `openapi-${version ?? "latest"}.json`);
        writeFileSync(file, JSON.stringify(buildOpenApiDocument(version)));
        const lint = spawnSync(
          process.execPath,
          [
            join(PROJECT_ROOT, "node_modules", "@redocly", "cli", "bin", "cli.js"),
            "lint",
            file,
            "--extends=recommended",
            "--format=summary",
          ],
          {
            encoding: "utf8",
            env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
          },
        );
        expect({ version, status: lint.status, errors: /^error .*$/m.exec(lint.stdout)?.[0] ?? null }).toEqual({
          version,
          status: 0,
          errors: null,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const paths = document.paths as Record<string, Record<string, { security?: unknown }>>;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect({ path, method, declared: Array.isArray(operation.security) }).toEqual({ path, method, declared: true });
      }
    }
  }, 60_000);

  it("describes what each webhook event type POSTs, with the Standard Webhooks headers", () => {
    const webhooks = document.webhooks as Record<string, { post: { parameters: { name: string }[] } }>;
    expect(Object.keys(webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    for (const hook of Object.values(webhooks)) {
      expect(hook.post.parameters.map((param) => param.name)).toEqual([
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
      ]);
    }
  });

  it("describes an older version with its own shapes, and that document is valid too", async () => {
    const old = buildOpenApiDocument("2026-11-01") as {
      info: { version: string };
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      paths: Record<
        string,
        Record<string, { requestBody: { content: Record<string, { schema: { properties: object } }> } }>
      >;
    };
    expect(old.info.version).toBe("2026-11-01");
    expect(Object.keys(old.components.schemas.Payment!.properties)).toContain("customer_id");
    expect(Object.keys(old.components.schemas.Payment!.properties)).not.toContain("customer");
    const body = old.paths["/v1/payments"]!.post!.requestBody.content["application/json"]!.schema;
    expect(Object.keys(body.properties)).toContain("customer_id");
    // The latest is untouched by building the old one.
    expect(Object.keys((buildOpenApiDocument() as typeof old).components.schemas.Payment!.properties)).toContain(
      "customer",
    );
    const result = await new Validator().validate(structuredClone(old));
    expect(result.errors ?? []).toEqual([]);
  });

  it("resolves every $ref", () => {
    const text = JSON.stringify(document);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    const components = document.components as Record<string, Record<string, unknown>>;
    expect(refs.length).toBeGreaterThan(50);
    for (const [, kind, name] of refs) expect(components[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
  });

  it("gives every merchant route the auth, rate-limit and validation errors it can answer with", () => {
    const paths = document.paths as Record<
      string,
      Record<string, { responses: Record<string, { description: string }> }>
    >;
    const create = paths["/v1/payments"]!.post!.responses;
    expect(create["401"]!.description).toContain("api_key_invalid");
    expect(create["429"]!.description).toContain("rate_limit_error");
    expect(create["400"]!.description).toContain("parameter_unknown");
    expect(create["402"]!.description).toContain("card_declined");
    expect(create["400"]!.description).toContain("resource_missing"); // an unknown token: the object's own 400
    expect(create["413"]!.description).toContain("body_too_large");
    expect(create["415"]!.description).toContain("unsupported_media_type");
    expect(paths["/oauth/token"]!.post!.responses["401"]).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/OAuthError" } } },
    });
  });

  it("describes request bodies with the schemas the routes validate with (strict: unknown fields refused)", () => {
    const paths = document.paths as Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>
    >;
    const body = paths["/v1/payments"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toEqual(["amount", "currency", "payment_method"]);
    expect(Object.keys(body.properties as object)).toContain("customer");
  });
});
