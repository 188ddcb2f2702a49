import { describe, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";

describe("the payment endpoints, before any processor call", () => {
  it("validate the request and name the parameter", async () => {
    const { secretKey } = await newMerchant();
    const token = { type: "card", token: "tok_abc" };
    expectError(
      await call("POST", "/v1/payments", {
        key: secretKey,
        body: { amount: 10.5, currency: "usd", payment_method: token },
      }),
      400,
      "invalid_request_error",
      "amount",
    );
    expectError(
      await call("POST", "/v1/payments", {
        key: secretKey,
        body: { amount: 100, currency: "usx", payment_method: token },
      }),
      400,
      "invalid_request_error",
      "currency",
    );
    expectError(
      await call("POST", "/v1/payments", {
        key: secretKey,
        body: { amount: 100, currency: "usd", payment_method: { type: "card", token: "4242424242424242" } },
      }),
      400,
      "invalid_request_error",
      "payment_method[token]",
    );
    expectError(
      await call("POST", "/v1/payments", {
        key: secretKey,
        body: { amount: 100, currency: "usd", payment_method: token, tip: 1 },
      }),
      400,
      "invalid_request_error",
      "tip",
    );
  });

  it("answer 404 for an unknown or malformed payment id", async () => {
    const { secretKey } = await newMerchant();
    expectError(
      await call("GET", `/v1/payments/pay_${"0".repeat(64)}`, { key: secretKey }),
      404,
      "invalid_request_error",
      "id",
    );
    expectError(await call("GET", "/v1/payments/pay_nope", { key: secretKey }), 404, "invalid_request_error", "id");
    expectError(
      await call("POST", `/v1/payments/pay_${"a".repeat(64)}/capture`, { key: secretKey, body: {} }),
      404,
      "invalid_request_error",
    );
  });
});
