import { describe, expect, it } from "vitest";
import { paiseToRupees, rupeesToPaise } from "./upi-amount.js";
import { isVpa } from "./upi-vpa.js";

describe("UPI amounts", () => {
  it("writes paise as rupees with exactly two decimals", () => {
    expect(paiseToRupees(49900)).toBe("499.00");
    expect(paiseToRupees(0)).toBe("0.00");
    expect(paiseToRupees(5)).toBe("0.05");
    expect(paiseToRupees(10000000)).toBe("100000.00");
    expect(paiseToRupees(999999999999)).toBe("9999999999.99");
  });

  it("refuses to write a fraction of a paisa, a negative or an over-wide amount", () => {
    for (const bad of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e12]) {
      expect(() => paiseToRupees(bad)).toThrow(RangeError);
    }
  });

  it("reads only digits, a point and two decimals", () => {
    expect(rupeesToPaise("499.00")).toBe(49900);
    expect(rupeesToPaise("0.01")).toBe(1);
    expect(rupeesToPaise("9999999999.99")).toBe(999999999999);
    for (const bad of ["499", "499.0", "499.000", "4.5", "1e3", "+1.00", "-1.00", " 1.00", "1.00 ", "", "1,000.00"]) {
      expect(rupeesToPaise(bad), bad).toBeNull();
    }
    expect(rupeesToPaise("12345678901.00")).toBeNull();
  });

  it("round-trips every amount it writes", () => {
    for (const paise of [0, 1, 99, 100, 101, 49900, 123456789]) expect(rupeesToPaise(paiseToRupees(paise))).toBe(paise);
  });
});

describe("VPAs", () => {
  it("accepts name@handle with the characters PSPs issue", () => {
    for (const good of ["success@upi", "a.b-c_d@okaxis", "99@ybl", "shop.merchant@icici"]) {
      expect(isVpa(good), good).toBe(true);
    }
  });

  it("refuses anything else", () => {
    const tooLong = `${"a".repeat(257)}@upi`;
    for (const bad of ["", "a@upi", "no-at-sign", "two@at@upi", "x y@upi", "ab@up1", "ab@u", "ab@", "@upi", tooLong]) {
      expect(isVpa(bad), bad).toBe(false);
    }
  });
});
