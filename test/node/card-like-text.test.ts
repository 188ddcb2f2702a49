import { describe, expect, it } from "vitest";
import { containsCardNumber } from "../../common/card-like-text.js";

describe("card numbers in free text", () => {
  it.each([
    "4242424242424242",
    "card 4242 4242 4242 4242 please",
    "4242-4242-4242-4242",
    "amex 378282246310005",
    "5555555555554444 and more",
    "4000056655665556",
    "x4242424242424242y", // glued to letters, but no identifier
    "ref a4242424242424242", // a short hex word is no identifier
  ])("finds a card number in %j", (text) => expect(containsCardNumber(text)).toBe(true));

  it.each([
    "order 4242424242424241", // fails Luhn
    "call +1 415 555 0100",
    "1733100000000", // 13 digits, a millisecond timestamp that fails Luhn
    "42424242424242424242424", // 23 digits: no card is that long
    "invoice 2026-12-01",
    // A checkout session's id whose hex holds 5322984447998 (13 digits, Luhn-valid) by chance:
    // CI met it, and the hosted page's payment was refused with a 500.
    "cs_4dc4d1142f52e84fd0ce6fa6f5322984447998dc937223d4569a83da0cb6392a",
    "sha256 ab4242424242424242cd0000000000000000000000000000000000000000000000",
    "",
  ])("lets %j through", (text) => expect(containsCardNumber(text)).toBe(false));
});
