import { PROCESSOR_IDS, type ProcessorId } from "../../common/processor-registry.js";

/**
 * One health object per processor and mode: test-mode traffic (simulators only, DESIGN invariant
 * 6) must never open a live processor's breaker, nor live failures hide behind test successes.
 */
export function processorHealthName(processor: ProcessorId, livemode: boolean): string {
  return `${processor}:${livemode ? "live" : "test"}`;
}

/**
 * The processor and mode a health object's name stands for, or null for a name that is not one.
 * A `/label` after the mode names a separate object for the same processor and mode, which the
 * gateway never reads: a drill's or a test's own breaker, apart from the one payments use.
 */
export function parseProcessorHealthName(
  name: string | undefined,
): { processor: ProcessorId; livemode: boolean } | null {
  const match = /^([a-z_]+):(live|test)(?:\/[\w-]+)?$/.exec(name ?? "");
  const processor = PROCESSOR_IDS.find((id) => id === match?.[1]);
  return match && processor ? { processor, livemode: match[2] === "live" } : null;
}
