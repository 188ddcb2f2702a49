import { describe, expect, it } from "vitest";
import { endpointGroup } from "../../workers/rate-limits/endpoint-groups.js";
import { shardCount, shardLimit } from "../../workers/rate-limits/shards.js";

describe("rate-limit sharding", () => {
  it("uses one limiter object up to 500 requests/s, then one more per 500, at most 32", () => {
    expect(shardCount(100, 1)).toBe(1);
    expect(shardCount(500, 1)).toBe(1);
    expect(shardCount(501, 1)).toBe(2);
    expect(shardCount(2_000, 1)).toBe(4);
    expect(shardCount(6_000, 60)).toBe(1); // 100/s
    expect(shardCount(1_000_000, 1)).toBe(32);
  });

  it("splits a limit into shares that add up to it exactly", () => {
    for (const [limit, shards] of [
      [7, 3],
      [4_000, 8],
      [1_000_001, 32],
      [5, 1],
    ] as const) {
      const shares = Array.from({ length: shards }, (_, index) => shardLimit(limit, shards, index));
      expect(shares.reduce((sum, share) => sum + share, 0)).toBe(limit);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
  });

  it("puts every route in one endpoint group", () => {
    expect(endpointGroup("POST", "/v1/payments")).toBe("payments_create");
    expect(endpointGroup("POST", "/v1/payments/pay_1/refund")).toBe("payments_update");
    expect(endpointGroup("GET", "/v1/payments/pay_1")).toBe("reads");
    expect(endpointGroup("DELETE", "/v1/webhook_endpoints/we_1")).toBe("writes");
  });
});
