import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";

async function merchantRow(id: string) {
  const [row] = await sql<{ row: string }>("select row_to_json(m)::text as row from merchants m where id = $1", [id]);
  return row?.row;
}

describe("GET/PATCH /v1/merchant", () => {
  it("returns the authenticated merchant's own profile and settlement config", async () => {
    const { id, secretKey } = await newMerchant({ default_currency: "eur", country: "DE" });
    const response = await call("GET", "/v1/merchant", { key: secretKey });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      id,
      object: "merchant",
      country: "DE",
      default_currency: "EUR",
      status: "active",
      settlement_config: { schedule: "daily", delay_days: 2, currency: "EUR", statement_descriptor: null },
      version: 1,
    });
  });

  it("updates the profile, merging settlement config fields, and bumps the version", async () => {
    const { secretKey } = await newMerchant();
    const response = await call("PATCH", "/v1/merchant", {
      key: secretKey,
      body: {
        name: "Renamed Shop",
        settlement_config: { schedule: "weekly", statement_descriptor: "RENAMED SHOP" },
        tokenization_origins: ["https://shop.example", "http://localhost:3000"],
      },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      name: "Renamed Shop",
      settlement_config: { schedule: "weekly", delay_days: 2, currency: "USD", statement_descriptor: "RENAMED SHOP" },
      tokenization_origins: ["https://shop.example", "http://localhost:3000"],
      version: 2,
    });
    expect((await call("GET", "/v1/merchant", { key: secretKey })).json.name).toBe("Renamed Shop");
  });

  it.each([
    [
      "malformed JSON",
      { rawBody: '{"name": "x",', headers: { "Content-Type": "application/json" } },
      "body",
      "body_not_json",
    ],
    ["a wrong type", { body: { name: 42 } }, "name", "parameter_invalid"],
    ["an unknown field", { body: { name: "ok", nickname: "x" } }, "nickname", "parameter_unknown"],
    [
      "a wrong nested type",
      { body: { settlement_config: { delay_days: "two" } } },
      "settlement_config[delay_days]",
      "parameter_invalid",
    ],
    [
      "an unknown nested field",
      { body: { settlement_config: { iban: "x" } } },
      "settlement_config[iban]",
      "parameter_unknown",
    ],
    [
      "a bad enum value",
      { body: { settlement_config: { schedule: "hourly" } } },
      "settlement_config[schedule]",
      "parameter_invalid",
    ],
    [
      "an http origin that is not loopback (card pages are https)",
      { body: { tokenization_origins: ["https://shop.example", "http://shop.example"] } },
      "tokenization_origins[1]",
      "parameter_invalid",
    ],
    [
      "an origin with a path",
      { body: { tokenization_origins: ["https://shop.example/checkout"] } },
      "tokenization_origins[0]",
      "parameter_invalid",
    ],
    [
      "a JSON array body",
      { rawBody: "[]", headers: { "Content-Type": "application/json" } },
      "body",
      "parameter_invalid",
    ],
  ])("refuses %s with 400 naming the param, and writes nothing", async (_case, request, param, code) => {
    const { id, secretKey } = await newMerchant();
    const before = await merchantRow(id);
    const response = await call("PATCH", "/v1/merchant", { key: secretKey, ...request });
    expectError(response, 400, "invalid_request_error", param);
    expect(response.json.error.code).toBe(code);
    expect(await merchantRow(id)).toBe(before);
  });
});

describe("POST /v1/merchants (ops)", () => {
  it("creates nothing when the request is invalid", async () => {
    const { merchant } = await newMerchant(); // proves the token path works
    const [{ count: before } = { count: "0" }] = await sql<{ count: string }>("select count(*) from merchants");
    const { opsToken } = await import("./support/api.js");
    const bearer = await opsToken();
    for (const body of [
      { name: "x", email: "not-an-email", country: "US", default_currency: "usd" },
      { name: "x", email: "a@b.example", country: "US", default_currency: "xyz" },
      { name: "x", email: "a@b.example", country: "US", default_currency: "usd", plan: "gold" },
      { email: "a@b.example", country: "US", default_currency: "usd" },
    ]) {
      const response = await call("POST", "/v1/merchants", { bearer, body });
      expect(response.status).toBe(400);
      expect(response.json.error.param).toBeTypeOf("string");
    }
    const [{ count: after } = { count: "0" }] = await sql<{ count: string }>("select count(*) from merchants");
    expect(after).toBe(before);
    expect(merchant.keys.secret.secret).toMatch(/^sk_test_[0-9A-Za-z]{32}$/);
    expect(merchant.keys.publishable.secret).toMatch(/^pk_test_[0-9A-Za-z]{32}$/);
  });
});
