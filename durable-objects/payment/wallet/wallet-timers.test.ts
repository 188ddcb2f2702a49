import { describe, expect, it } from "vitest";
import type { PaymentRecord } from "../payment-record.js";
import { redirectStatus, walletReturnUrl } from "./wallet-return.js";
import { approvalWindowMs, nextWalletCheckAt, orderActionRequestId } from "./wallet-timers.js";

const env = {
  WALLET_FIRST_STATUS_CHECK_SECONDS: "60",
  WALLET_STATUS_CHECK_MAX_SECONDS: "900",
  WALLET_APPROVAL_WINDOW_SECONDS: "10800",
};
const now = Date.parse("2026-12-02T10:00:00Z");

describe("wallet status checks", () => {
  it("asks a minute after, then doubling, at most every 15 minutes", () => {
    expect(nextWalletCheckAt(env, 0, now, null) - now).toBe(60_000);
    expect(nextWalletCheckAt(env, 1, now, null) - now).toBe(120_000);
    expect(nextWalletCheckAt(env, 4, now, null) - now).toBe(900_000);
    expect(nextWalletCheckAt(env, 60, now, null) - now).toBe(900_000);
  });

  it("asks just after the order lapses, so an abandoned payment ends with its order", () => {
    const lapse = new Date(now + 30_000).toISOString();
    expect(nextWalletCheckAt(env, 3, now, lapse) - now).toBe(32_000);
    // Past the lapse, the schedule resumes (the wallet may still be answering for it).
    expect(nextWalletCheckAt(env, 0, now + 40_000, lapse) - (now + 40_000)).toBe(60_000);
  });

  it("waits PayPal's 3 hours for the payer unless configured, and never loops tighter than a second", () => {
    expect(approvalWindowMs({ ...env, WALLET_APPROVAL_WINDOW_SECONDS: "" })).toBe(3 * 3600 * 1000);
    expect(approvalWindowMs({ ...env, WALLET_APPROVAL_WINDOW_SECONDS: "-5" })).toBe(3 * 3600 * 1000);
    const tight = { ...env, WALLET_FIRST_STATUS_CHECK_SECONDS: "0.001" };
    expect(nextWalletCheckAt(tight, 0, now, null) - now).toBe(1_000);
  });

  it("gives an order's capture and authorize one request id per payment", () => {
    expect(orderActionRequestId({ id: "op_ab_1" }, "capture")).toBe("op_ab_1-capture");
    expect(orderActionRequestId({ id: "op_ab_1" }, "authorize")).toBe("op_ab_1-authorize");
  });
});

describe("the payer's way back to the merchant", () => {
  const payment = (status: string, cancelUrl: string | null = null) =>
    ({
      id: "pay_1",
      status,
      wallet: { return_url: "https://shop.example/back?cart=7", cancel_url: cancelUrl },
    }) as unknown as PaymentRecord;

  it("adds the payment and how it went to the merchant's own return_url", () => {
    expect(walletReturnUrl(payment("captured"), false)).toBe(
      "https://shop.example/back?cart=7&payment_id=pay_1&redirect_status=succeeded",
    );
    expect(walletReturnUrl(payment("processing"), false)).toContain("redirect_status=processing");
  });

  it("sends a cancelling payer to cancel_url when given, and says canceled only while the payment waits", () => {
    expect(walletReturnUrl(payment("requires_action", "https://shop.example/cart"), true)).toBe(
      "https://shop.example/cart?payment_id=pay_1&redirect_status=canceled",
    );
    expect(walletReturnUrl(payment("requires_action"), true)).toContain("https://shop.example/back?cart=7&");
    expect(redirectStatus(payment("captured"), true)).toBe("succeeded");
    for (const status of ["failed", "expired", "voided"]) expect(redirectStatus(payment(status), false)).toBe("failed");
  });
});
