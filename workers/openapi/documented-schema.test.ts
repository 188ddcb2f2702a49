import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { createPaymentSchema } from "../payments/payments.schemas.js";
import { readJsonBody } from "../validation/request-body.js";

/** A stand-in for the payments route that validates with `schema`; errors come back as text. */
function routeValidatingWith(schema: z.ZodType) {
  return new Hono<AppEnv>()
    .post("/v1/payments", async (c) => {
      await readJsonBody(c, schema);
      return c.text("validated");
    })
    .onError((error, c) => c.text(error.message, 500));
}

const post = (app: Hono<AppEnv>, environment: string) =>
  app.request("/v1/payments", { method: "POST", body: "{}" }, { ENVIRONMENT: environment } as unknown as Env);

describe("the documented-schema check", () => {
  it("fails a route that validates with a schema its OpenAPI operation does not document", async () => {
    const answer = await post(routeValidatingWith(z.strictObject({})), "development");
    expect(answer.status).toBe(500);
    expect(await answer.text()).toContain("createPayment");
  });

  it("lets the documented schema through (here to its own validation error), and skips production", async () => {
    const documented = await post(routeValidatingWith(createPaymentSchema), "development");
    expect(await documented.text()).not.toContain("does not document");
    expect(await (await post(routeValidatingWith(z.strictObject({})), "production")).text()).toBe("validated");
  });
});
