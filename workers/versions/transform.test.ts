import { describe, expect, it } from "vitest";
import { downgradeResponse, upgradeRequest } from "./transform.js";

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

  it("upgrades only the routes the change names", () => {
    expect(upgradeRequest("2026-11-01", "POST", "/v1/payments", { customer_id: "c" })).toEqual({ customer: "c" });
    expect(upgradeRequest("2026-11-01", "POST", "/v1/refunds", { customer_id: "c" })).toEqual({ customer_id: "c" });
    expect(upgradeRequest("2026-11-25", "POST", "/v1/payments", { customer_id: "c" })).toEqual({ customer_id: "c" });
  });
});
