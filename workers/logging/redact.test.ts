import { describe, expect, it } from "vitest";
import { redact } from "../../common/redact.js";

describe("redact", () => {
  it("removes API keys, client secrets, webhook secrets, bearer credentials and JWTs", () => {
    const key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc4eC39HqL";
    const text = redact(
      `${key} pk_test_abc ocs_secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw Bearer abc.def Basic c2tfdGVzdA== eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`,
    );
    expect(text).toBe(
      "sk_live_[REDACTED] pk_test_[REDACTED] ocs_[REDACTED] whsec_[REDACTED] Bearer [REDACTED] Basic [REDACTED] [REDACTED_JWT]",
    );
  });

  it("removes anything shaped like a card number, grouped or not", () => {
    expect(redact("pan=4242424242424242 amex 3782-822463-10005 spaced 5555 5555 5555 4444")).toBe(
      "pan=[REDACTED_NUMBER] amex [REDACTED_NUMBER] spaced [REDACTED_NUMBER]",
    );
  });

  it("leaves ordinary ids, amounts and timestamps alone", () => {
    const text = '{"id":"req_123456789012345678901234","amount":1999,"time":"2026-11-25T14:28:06.000Z"}';
    expect(redact(text)).toBe(text);
  });
});
