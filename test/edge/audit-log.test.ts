import { describe, expect, it } from "vitest";
import { queueRole } from "../../workers/queues/queue-router.js";

// The audit-log consumer's chain, its redelivery and its request summaries: test/edge/audit-chain.test.ts.
describe("audit-log queue", () => {
  it("knows every queue role, with or without an environment suffix, and no other", () => {
    expect(queueRole("audit-log-staging")).toBe("audit-log");
    expect(queueRole("payment-events")).toBe("payment-events");
    expect(() => queueRole("payments")).toThrow(/no consumer/);
  });
});
