import { describe, expect, it } from "vitest";
import { BUDGETS, worstNetworkExchangeMs } from "../../../common/timeout-budgets.js";
import { mastercardConfig, visaConfig, worstExchangeMs } from "./network-config.js";

describe("card network configurations", () => {
  it("take every timer from the budgets module, so one exchange never outlasts the vault's deadline", () => {
    const visa = visaConfig("127.0.0.1", 8583);
    const mastercard = mastercardConfig("127.0.0.1", 8583);
    expect(visa.responseTimeoutMs).toBe(BUDGETS.networkResponseMs.visa);
    expect(mastercard.responseTimeoutMs).toBe(BUDGETS.networkResponseMs.mastercard);
    expect(visa.connect).toEqual({
      timeoutMs: BUDGETS.networkConnectMs,
      attempts: BUDGETS.networkConnectAttempts,
      pauseMs: BUDGETS.networkConnectPauseMs,
    });
    expect(Math.max(worstExchangeMs(visa), worstExchangeMs(mastercard))).toBe(worstNetworkExchangeMs());
    expect(worstNetworkExchangeMs()).toBeLessThan(BUDGETS.edgeVaultCallMs - BUDGETS.vaultReplyMarginMs);
  });
});
