import { describe, expect, it } from "vitest";
import { UPI_CODES, UPI_NOT_FOUND_CODE, upiCode } from "./upi-codes.js";

describe("UPI answer codes", () => {
  it.each([
    ["U30", "business", "upi_debit_failed"],
    ["U69", "expired", "upi_collect_expired"],
    ["ZA", "business", "upi_declined_by_payer"],
    ["ZM", "business", "upi_invalid_pin"],
    ["Z9", "business", "insufficient_funds"],
    ["U16", "business", "upi_risk_threshold_exceeded"],
    ["BT", "technical", "processor_timeout"],
    ["UT", "technical", "processor_timeout"],
    ["ZH", "business", "upi_invalid_vpa"],
    ["U01", "technical", "duplicate_transaction"],
  ])("maps %s to %s / %s", (code, kind, declineCode) => {
    expect(upiCode(code)).toMatchObject({ kind, declineCode });
  });

  it("has one not_found code, the one the switch sends for an unknown txn", () => {
    const notFound = Object.entries(UPI_CODES).filter(([, meaning]) => meaning.kind === "not_found");
    expect(notFound.map(([code]) => code)).toEqual([UPI_NOT_FOUND_CODE]);
  });

  it("treats an unknown or absent code as a technical processor error", () => {
    for (const code of ["XX", undefined, "__proto__", "constructor"]) {
      expect(upiCode(code)).toEqual({
        meaning: "unrecognised UPI code",
        kind: "technical",
        declineCode: "processor_error",
      });
    }
  });
});
