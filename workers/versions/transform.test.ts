import { describe, expect, it } from "vitest";
import { downgradeResponse, upgradeRequest, upgradeStored } from "./transform.js";

describe("version transforms", () => {
  it("downgrades every payment wherever it sits, and nothing else", () => {
    const payment = { id: "pay_1", object: "payment", customer: "cus_1", amount: 5 };
    const body = {
      object: "list",
      data: [{ id: "evt_1", object: "event", data: { object: payment } }, payment, { object: "refund", customer: "x" }],
    };
    expect(downgradeResponse("2026-11-01", body)).toEqual({
      object: "list",
      data: [
        {
          id: "evt_1",
          object: "event",
          data: { object: { id: "pay_1", object: "payment", customer_id: "cus_1", amount: 5 } },
        },
        { id: "pay_1", object: "payment", customer_id: "cus_1", amount: 5 },
        { object: "refund", customer: "x" },
      ],
    });
    expect(downgradeResponse("2026-11-25", body)).toBe(body);
  });

  it("downgrades the payment inside a decline, and renames the error's param back", () => {
    const error = {
      error: { code: "card_declined", param: "customer", payment: { object: "payment", customer: null } },
    };
    expect(downgradeResponse("2026-11-01", error)).toEqual({
      error: { code: "card_declined", param: "customer_id", payment: { object: "payment", customer_id: null } },
    });
  });

  it("names a renamed parameter the old way in a validation error, message included, but not an unknown one", () => {
    const invalid = { error: { code: "parameter_invalid", param: "customer", message: "Invalid customer: too long." } };
    expect(downgradeResponse("2026-11-01", invalid)).toEqual({
      error: { code: "parameter_invalid", param: "customer_id", message: "Invalid customer_id: too long." },
    });
    const unknown = {
      error: { code: "parameter_unknown", param: "customer", message: "Received unknown parameter: customer." },
    };
    expect(downgradeResponse("2026-11-01", unknown)).toEqual(unknown);
  });

  it("brings stored old-shape objects to the latest shape, and leaves latest ones alone", () => {
    const old = { object: "event", data: { object: { object: "payment", customer_id: "c", amount: 1 } } };
    expect(upgradeStored(old)).toEqual({
      object: "event",
      data: { object: { object: "payment", customer: "c", amount: 1 } },
    });
    const latest = { object: "payment", customer: "c" };
    expect(upgradeStored(latest)).toEqual(latest);
  });

  it("passes a JSON null or scalar answer through", () => {
    expect(downgradeResponse("2026-11-01", null)).toBeNull();
    expect(downgradeResponse("2026-11-01", 3)).toBe(3);
  });

  it("upgrades only the routes the change names", () => {
    expect(upgradeRequest("2026-11-01", "POST", "/v1/payments", { customer_id: "c" })).toEqual({ customer: "c" });
    expect(() => upgradeRequest("2026-11-01", "POST", "/v1/payments", { customer: "c" })).toThrow(/customer_id/);
    expect(upgradeRequest("2026-11-01", "POST", "/v1/refunds", { customer_id: "c" })).toEqual({ customer_id: "c" });
    expect(upgradeRequest("2026-11-25", "POST", "/v1/payments", { customer_id: "c" })).toEqual({ customer_id: "c" });
  });
});
