import type { ProcessorId } from "../../common/processor-registry.js";

/**
 * What the router needs to know of a processor's health, as its processor-health object last
 * reported it (a cached snapshot: the router never waits on one). A subset of that object's
 * snapshot (`durable-objects/processor-health`), so its snapshots are accepted as they are.
 */
export interface ProcessorHealth {
  /** The circuit breaker: `open` refuses traffic until `retryAt`; `half_open` lets probes through. */
  state: "closed" | "open" | "half_open";
  /** Expected authorization rate, 0 to 1: what success-rate routes rank by. */
  score: number;
  /** Its authorization rate fell below the configured floor: tried after every other candidate. */
  demoted?: boolean;
  /** Open: when the breaker half-opens (epoch ms); from then on the processor may take a probe. */
  retryAt?: number;
}

/** Health by processor, for one mode. A processor it does not mention counts as healthy (closed, score 1). */
export type HealthSnapshot = Readonly<Partial<Record<ProcessorId, ProcessorHealth>>>;

/** No health data: every processor healthy. */
export const ALL_HEALTHY: HealthSnapshot = Object.freeze({});

/** Open and not yet due for a probe: no payment may be sent there now. */
export function isRefusing(health: HealthSnapshot, processor: ProcessorId, now: number): boolean {
  const entry = health[processor];
  return entry?.state === "open" && (entry.retryAt === undefined || entry.retryAt > now);
}

export function scoreOf(health: HealthSnapshot, processor: ProcessorId): number {
  return health[processor]?.score ?? 1;
}

export function isDemoted(health: HealthSnapshot, processor: ProcessorId): boolean {
  return health[processor]?.demoted === true;
}
