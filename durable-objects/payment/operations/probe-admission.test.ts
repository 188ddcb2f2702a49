import { describe, expect, it } from "vitest";
import type { PaymentRouting } from "../payment-routing.js";
import { admitNext } from "./probe-admission.js";
import type { OperationContext } from "./start-operation.js";

/** A context whose health objects answer `admit()` from `slots` (true: a probe slot is free), counting the asks. */
function contextWith(slots: Record<string, boolean>) {
  const asked: string[] = [];
  const env = {
    PROCESSOR_HEALTH: {
      getByName: (name: string) => ({
        admit: async () => {
          const processor = name.split(":")[0]!;
          asked.push(processor);
          return { admitted: slots[processor] ?? true, state: "half_open" };
        },
      }),
    },
  };
  return { context: { env } as unknown as OperationContext, asked };
}

const routing = (probes: string[]): PaymentRouting => ({
  rule: "default",
  candidates: ["acquirer_a", "acquirer_b", "aggregator"],
  skipped: [],
  max_attempts: 3,
  deadline: Date.now() + 60_000,
  probes,
});
const first = (r: PaymentRouting) => r.candidates[0] ?? null;

describe("a recovering processor takes an attempt only with a probe slot", () => {
  it("asks a probe's health object, and keeps it when a slot is free", async () => {
    const { context, asked } = contextWith({ acquirer_a: true });
    const admitted = await admitNext(context, routing(["acquirer_a"]), false, first);
    expect(admitted.candidates[0]).toBe("acquirer_a");
    expect(asked).toEqual(["acquirer_a"]);
  });

  it("takes a probe whose slots are taken out of the running, with the reason, and moves on", async () => {
    const { context, asked } = contextWith({ acquirer_a: false, acquirer_b: false });
    const admitted = await admitNext(context, routing(["acquirer_a", "acquirer_b"]), false, first);
    expect(admitted.candidates).toEqual(["aggregator"]);
    expect(admitted.skipped).toEqual([
      { processor: "acquirer_a", reason: "probe_refused" },
      { processor: "acquirer_b", reason: "probe_refused" },
    ]);
    expect(asked).toEqual(["acquirer_a", "acquirer_b"]); // the aggregator is closed: never asked
  });

  it("asks nothing of a closed processor", async () => {
    const { context, asked } = contextWith({});
    const closed = routing([]);
    expect(await admitNext(context, closed, false, first)).toBe(closed);
    expect(asked).toEqual([]);
  });
});
