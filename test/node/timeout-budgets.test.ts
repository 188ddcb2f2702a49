import { describe, expect, it } from "vitest";
import {
  BUDGETS,
  inquiryBackoffMs,
  resolveBackoffMs,
  settleBoundMs,
  worstNetworkExchangeMs,
} from "../../common/timeout-budgets.js";

/**
 * Issue 11: each layer must give up, and say "unknown", before the layer that called it, so an
 * outcome is always heard from the inside and never guessed from a timeout further out.
 */
describe("the timeout budgets", () => {
  it("let the vault finish a worst-case network exchange and its journal writes before it must answer", () => {
    const vaultMustAnswerWithin = BUDGETS.edgeVaultCallMs - BUDGETS.vaultReplyMarginMs;
    expect(worstNetworkExchangeMs() + BUDGETS.vaultJournalMs).toBeLessThan(vaultMustAnswerWithin);
  });

  it("leave the vault's answer at least a second to reach the edge", () => {
    expect(BUDGETS.vaultReplyMarginMs).toBeGreaterThanOrEqual(1_000);
  });

  it("bound how long an operation stays pending once every hop is back: under three minutes", () => {
    expect(settleBoundMs()).toBeLessThan(180_000);
    expect(Math.max(...BUDGETS.edgeInquiryBackoffMs)).toBeLessThanOrEqual(60_000);
    expect(Math.max(...BUDGETS.vaultResolveBackoffMs)).toBeLessThanOrEqual(60_000);
  });

  it("keep the edge's service token valid for the whole call", () => {
    expect(BUDGETS.edgeVaultCallMs).toBeLessThan(BUDGETS.serviceTokenMs);
    expect(BUDGETS.edgeInquiryCallMs).toBeLessThan(BUDGETS.serviceTokenMs);
  });

  it("inquire only after the deadline, when the vault has journaled or fenced the operation", () => {
    expect(BUDGETS.edgeFirstInquiryAfterDeadlineMs).toBeGreaterThan(0);
    expect(inquiryBackoffMs(0)).toBeGreaterThan(0);
  });

  it("back off monotonically, and keep repeating the last interval", () => {
    for (const schedule of [BUDGETS.edgeInquiryBackoffMs, BUDGETS.vaultResolveBackoffMs]) {
      for (let i = 1; i < schedule.length; i++) expect(schedule[i]).toBeGreaterThanOrEqual(schedule[i - 1] ?? 0);
    }
    expect(inquiryBackoffMs(100)).toBe(BUDGETS.edgeInquiryBackoffMs.at(-1));
    expect(resolveBackoffMs(100)).toBe(BUDGETS.vaultResolveBackoffMs.at(-1));
  });
});
