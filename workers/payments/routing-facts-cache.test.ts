import { describe, expect, it } from "vitest";
import type { RoutingFacts } from "./routing-facts.repository.js";
import { cachedRoutingFacts, forgetMerchantFacts, MERCHANT_FACTS_MS } from "./routing-facts-cache.js";

let merchants = 0;
const newOwner = (livemode = false) => ({ merchantId: `acct_FactsCache${++merchants}`, livemode });
const visa: RoutingFacts = {
  merchantCountry: "US",
  merchantName: "Shop",
  card: { brand: "visa", issuerCountry: "GB" },
};

/** A loader that answers `facts` and counts how often Postgres would have been asked. */
function loader(facts: RoutingFacts | null) {
  const counted = {
    reads: 0,
    load: async () => {
      counted.reads += 1;
      return facts;
    },
  };
  return counted;
}

describe("the routing facts cache", () => {
  it("asks Postgres once for a token, then answers from memory", async () => {
    const owner = newOwner();
    const postgres = loader(visa);
    expect(await cachedRoutingFacts(owner, "tok_a", postgres.load)).toEqual(visa);
    expect(await cachedRoutingFacts(owner, "tok_a", postgres.load)).toEqual(visa);
    expect(postgres.reads).toBe(1);
  });

  it("keeps tokens apart by merchant and mode", async () => {
    const test = newOwner();
    const postgres = loader(visa);
    await cachedRoutingFacts(test, "tok_b", postgres.load);
    await cachedRoutingFacts({ ...test, livemode: true }, "tok_b", postgres.load);
    await cachedRoutingFacts(newOwner(), "tok_b", postgres.load);
    expect(postgres.reads).toBe(3);
  });

  it("keeps nothing Postgres did not find: an unknown token, or merchant, is asked again", async () => {
    const owner = newOwner();
    const unknownToken = loader({ ...visa, card: null });
    await cachedRoutingFacts(owner, "tok_unknown", unknownToken.load);
    expect(await cachedRoutingFacts(owner, "tok_unknown", unknownToken.load)).toMatchObject({ card: null });
    expect(unknownToken.reads).toBe(2);
    const unknownMerchant = loader(null);
    const stranger = newOwner();
    expect(await cachedRoutingFacts(stranger, null, unknownMerchant.load)).toBeNull();
    expect(await cachedRoutingFacts(stranger, null, unknownMerchant.load)).toBeNull();
    expect(unknownMerchant.reads).toBe(2);
  });

  it("serves a UPI or wallet payment (no token) from the merchant's facts alone", async () => {
    const owner = newOwner();
    const postgres = loader({ ...visa, card: null });
    await cachedRoutingFacts(owner, null, postgres.load);
    expect(await cachedRoutingFacts(owner, null, postgres.load)).toEqual({ ...visa, card: null });
    expect(postgres.reads).toBe(1);
  });

  it("asks again once the merchant's facts are 30 s old, or forgotten after a profile change", async () => {
    const owner = newOwner();
    const postgres = loader(visa);
    const now = Date.now();
    await cachedRoutingFacts(owner, "tok_c", postgres.load, now);
    await cachedRoutingFacts(owner, "tok_c", postgres.load, now + MERCHANT_FACTS_MS - 1);
    expect(postgres.reads).toBe(1);
    await cachedRoutingFacts(owner, "tok_c", postgres.load, now + MERCHANT_FACTS_MS);
    expect(postgres.reads).toBe(2);
    forgetMerchantFacts(owner.merchantId);
    const renamed = loader({ ...visa, merchantName: "Renamed" });
    expect((await cachedRoutingFacts(owner, "tok_c", renamed.load))?.merchantName).toBe("Renamed");
  });

  it("keeps a failed read out, so the next payment asks again", async () => {
    const owner = newOwner();
    const failing = async () => Promise.reject(new Error("connection refused"));
    await expect(cachedRoutingFacts(owner, "tok_d", failing)).rejects.toThrow("connection refused");
    const postgres = loader(visa);
    await cachedRoutingFacts(owner, "tok_d", postgres.load);
    expect(postgres.reads).toBe(1);
  });

  it("holds at most 10,000 tokens, the least recently used out first", async () => {
    const owner = newOwner();
    const postgres = loader(visa);
    await cachedRoutingFacts(owner, "tok_oldest", postgres.load);
    await cachedRoutingFacts(owner, "tok_used", postgres.load);
    for (let i = 0; i < 9_998; i++) await cachedRoutingFacts(owner, `tok_fill${i}`, postgres.load);
    await cachedRoutingFacts(owner, "tok_used", postgres.load); // used again: now the most recent
    await cachedRoutingFacts(owner, "tok_one_more", postgres.load);
    const before = postgres.reads;
    await cachedRoutingFacts(owner, "tok_used", postgres.load);
    expect(postgres.reads).toBe(before);
    await cachedRoutingFacts(owner, "tok_oldest", postgres.load);
    expect(postgres.reads).toBe(before + 1);
  });
});
