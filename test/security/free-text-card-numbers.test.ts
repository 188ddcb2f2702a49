import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "../edge/support/api.js";

/**
 * Issue 12, item 8: a card number pasted into a free-text field would be stored in clear, projected
 * to Postgres, logged and sent in webhooks. Each field refuses it with a 400 naming the field.
 */
const payment = { amount: 1_000, currency: "usd", payment_method: { type: "card", token: "tok_FreeText000000000001" } };

describe("free text refuses card numbers", () => {
  it("in a payment's description, metadata values and customer", async () => {
    const { secretKey } = await newMerchant();
    for (const [extra, param] of [
      [{ description: "card 4242 4242 4242 4242" }, "description"],
      [{ metadata: { order: "42", note: "4000-0566-5566-5556" } }, "metadata[note]"],
      [{ customer: "5555555555554444" }, "customer"],
    ] as const) {
      const answer = await call("POST", "/v1/payments", { key: secretKey, body: { ...payment, ...extra } });
      expectError(answer, 400, "invalid_request_error", param);
      expect(answer.json.error.message).toMatch(/card number/);
      expect(JSON.stringify(answer.json)).not.toMatch(/4242 4242|5566-5556|5555555555554444/);
    }
  });

  it("in a webhook endpoint's description", async () => {
    const { secretKey } = await newMerchant();
    const answer = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      body: { url: "https://hooks.example.com/x", enabled_events: ["*"], description: "378282246310005" },
    });
    expectError(answer, 400, "invalid_request_error", "description");
  });

  it("but lets order numbers and phone numbers through", async () => {
    const { secretKey } = await newMerchant();
    const answer = await call("POST", "/v1/payments", {
      key: secretKey,
      body: {
        ...payment,
        description: "order 4242424242424241, call +1 415 555 0100",
        metadata: { order: "1733100000000" },
      },
    });
    // Past validation: the made-up token is the vault's business (no vault in this tier).
    expect(answer.status).not.toBe(400);
  });
});
