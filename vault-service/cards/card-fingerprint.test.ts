import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cardFingerprint } from "./card-fingerprint.js";

describe("card fingerprint", () => {
  const secret = randomBytes(32);

  it("is stable for one card within one merchant", () => {
    const first = cardFingerprint(secret, "acct_one", "4242424242424242");
    expect(first).toMatch(/^fp_[0-9a-f]{32}$/);
    expect(cardFingerprint(secret, "acct_one", "4242424242424242")).toBe(first);
    expect(cardFingerprint(secret, "acct_one", "5555555555554444")).not.toBe(first);
  });

  it("differs between merchants and between secrets, so it links nothing outside one merchant", () => {
    const first = cardFingerprint(secret, "acct_one", "4242424242424242");
    expect(cardFingerprint(secret, "acct_two", "4242424242424242")).not.toBe(first);
    expect(cardFingerprint(randomBytes(32), "acct_one", "4242424242424242")).not.toBe(first);
  });
});
