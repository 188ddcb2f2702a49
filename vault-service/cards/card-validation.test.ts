import { describe, expect, it } from "vitest";
import { type CardInput, checkCard, isExpired, luhnValid } from "./card-validation.js";

const NOW = new Date("2026-11-25T15:00:00Z");
const card = (overrides: Partial<CardInput> = {}): CardInput => ({
  number: "4242424242424242",
  expMonth: 12,
  expYear: 2030,
  cvc: "123",
  ...overrides,
});
const problemOf = (input: CardInput, now = NOW) => {
  const result = checkCard(input, now);
  return result.ok ? undefined : result.problem;
};

describe("card validation", () => {
  it("computes the Luhn check digit of ISO/IEC 7812", () => {
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(luhnValid("378282246310005")).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
    expect(luhnValid("5555555555554443")).toBe(false);
  });

  it("accepts every test card merchants use, and says which network it is", () => {
    for (const number of [
      "4242424242424242",
      "4000000000000002",
      "4000000000009995",
      "4000000000000069",
      "4000000000000119",
      "4100000000000019",
      "5555555555554444",
      "4000056655665556",
      "5200828282828210",
    ]) {
      expect(checkCard(card({ number }), NOW)).toMatchObject({ ok: true });
    }
    expect(checkCard(card({ number: "378282246310005", cvc: "1234" }), NOW)).toMatchObject({
      ok: true,
      bin: { brand: "amex" },
    });
  });

  it("refuses a bad check digit, an unknown network and a length the network does not issue", () => {
    expect(problemOf(card({ number: "4242424242424241" }))).toMatchObject({ code: "invalid_number", field: "number" });
    expect(problemOf(card({ number: "9999999999999995" }))).toMatchObject({ code: "invalid_number", field: "number" });
    expect(problemOf(card({ number: "424242424242424" }))).toMatchObject({ code: "invalid_number", field: "number" });
    expect(problemOf(card({ number: "55555555555553" }))).toMatchObject({ code: "invalid_number", field: "number" });
    expect(problemOf(card({ number: "4242x24242424242" }))).toMatchObject({ code: "invalid_number" });
    expect(problemOf(card({ number: "" }))).toMatchObject({ code: "invalid_number" });
  });

  it("never repeats the card number in its message", () => {
    const problem = problemOf(card({ number: "4242424242424241" }));
    expect(problem?.message).not.toMatch(/\d{4}/);
  });

  it("treats a card as good through its expiry month, wherever the cardholder is", () => {
    expect(isExpired(11, 2026, NOW)).toBe(false);
    expect(isExpired(11, 2026, new Date("2026-12-01T11:59:59Z"))).toBe(false);
    expect(isExpired(11, 2026, new Date("2026-12-01T12:00:00Z"))).toBe(true);
    expect(isExpired(12, 2026, new Date("2027-01-01T11:00:00Z"))).toBe(false);
  });

  it("refuses an expired card, naming the month when the year is this one and the year when it is past", () => {
    expect(problemOf(card({ expMonth: 10, expYear: 2026 }))).toMatchObject({
      code: "expired_card",
      field: "exp_month",
    });
    expect(problemOf(card({ expMonth: 12, expYear: 2025 }))).toMatchObject({ code: "expired_card", field: "exp_year" });
  });

  it("refuses an expiry year too far ahead to be real", () => {
    expect(problemOf(card({ expYear: 2047 }))).toMatchObject({ code: "invalid_expiry_year", field: "exp_year" });
    expect(checkCard(card({ expYear: 2046 }), NOW).ok).toBe(true);
  });

  it("wants a 3-digit security code, and 4 digits for American Express", () => {
    expect(problemOf(card({ cvc: "12" }))).toMatchObject({ code: "invalid_cvc", field: "cvc" });
    expect(problemOf(card({ cvc: "1234" }))).toMatchObject({ code: "invalid_cvc", field: "cvc" });
    expect(problemOf(card({ cvc: "12a" }))).toMatchObject({ code: "invalid_cvc", field: "cvc" });
    expect(problemOf(card({ number: "378282246310005", cvc: "123" }))).toMatchObject({ code: "invalid_cvc" });
    expect(checkCard(card({ number: "378282246310005", cvc: "0123" }), NOW).ok).toBe(true);
  });
});
