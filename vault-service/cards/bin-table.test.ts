import { describe, expect, it } from "vitest";
import { lookupBin } from "./bin-table.js";

describe("BIN table", () => {
  it.each([
    ["4242424242424242", "visa", "credit", "US"],
    ["4000000000000002", "visa", "credit", "US"],
    ["4000000000009995", "visa", "credit", "US"],
    ["4000000000000069", "visa", "credit", "US"],
    ["4000000000000119", "visa", "credit", "US"],
    ["4100000000000019", "visa", "credit", "US"],
    ["4000056655665556", "visa", "debit", "US"],
    ["5555555555554444", "mastercard", "credit", "US"],
    ["5200828282828210", "mastercard", "debit", "US"],
    ["5105105105105100", "mastercard", "prepaid", "US"],
    ["2223003122003222", "mastercard", "credit", "US"],
    ["378282246310005", "amex", "credit", "US"],
    ["6011111111111117", "discover", "credit", "US"],
    ["3530111333300000", "jcb", "credit", "JP"],
    ["30569309025904", "diners", "credit", "US"],
    ["6200000000000005", "unionpay", "credit", "CN"],
  ])("knows the test card %s as %s %s from %s", (pan, brand, funding, country) => {
    expect(lookupBin(pan)).toEqual({ brand, funding, country });
  });

  it("falls back to the network's range, with funding unknown, for a BIN it does not list", () => {
    expect(lookupBin("4111111111111111")).toEqual({ brand: "visa", funding: "unknown", country: null });
    expect(lookupBin("2720990000000000")).toMatchObject({ brand: "mastercard" });
    expect(lookupBin("6522000000000000")).toEqual({ brand: "rupay", funding: "unknown", country: "IN" });
    expect(lookupBin("6500000000000000")).toMatchObject({ brand: "discover" });
  });

  it("lets a longer BIN refine a shorter one", () => {
    expect(lookupBin("4000001240000000")).toEqual({ brand: "visa", funding: "credit", country: "CA" });
    expect(lookupBin("4000000760000002")).toEqual({ brand: "visa", funding: "credit", country: "BR" });
  });

  it("knows nothing of numbers outside every network's range", () => {
    expect(lookupBin("9999999999999995")).toBeUndefined();
    expect(lookupBin("1234")).toBeUndefined();
    expect(lookupBin("2721000000000000")).toBeUndefined();
  });
});
