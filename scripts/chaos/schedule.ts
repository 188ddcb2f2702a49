import type { Prng } from "./prng.js";

/**
 * The ISO 8583 requests the campaign faults at the acquirer: authorization, sale, completion
 * advice and its repeat, reversal and its repeat.
 */
export const FAULTABLE_MESSAGES = ["0100", "0200", "0220", "0221", "0400", "0401"] as const;

export type Fault =
  | { kind: "acquirer"; mode: "never_answer" | "slow" | "refuse" | "garbled"; messages: string[]; slow_ms?: number }
  | { kind: "vault_pause" }
  | { kind: "vault_kill" }
  | { kind: "vault_restart" }
  | { kind: "postgres_stop" }
  | { kind: "consumer_fail" };

/** A fault switched on before batch `from` and healed before batch `until` (instant faults: until = from). */
export interface ScheduledFault {
  fault: Fault;
  from: number;
  until: number;
}

/** Which hop a fault breaks: two faults of one hop never overlap (the second would hide the first). */
const hop = (fault: Fault) =>
  fault.kind === "acquirer" ? "acquirer" : fault.kind.startsWith("vault") ? "vault" : fault.kind;

type AcquirerMode = Extract<Fault, { kind: "acquirer" }>["mode"];
const ACQUIRER_MODES: readonly AcquirerMode[] = ["never_answer", "slow", "refuse", "garbled"];

function acquirerFault(prng: Prng, mode: AcquirerMode): Fault {
  const messages = prng.subset(FAULTABLE_MESSAGES);
  // 14 s is past the networks' response timers (10 and 12 s): a late answer, not just a slow one.
  return mode === "slow"
    ? { kind: "acquirer", mode, messages, slow_ms: prng.pick([1_500, 6_000, 14_000]) }
    : { kind: "acquirer", mode, messages };
}

/** Every kind once, the acquirer once per mode, so a long enough campaign exercises all of them. */
const COVERAGE: readonly (Fault["kind"] | AcquirerMode)[] = [
  ...ACQUIRER_MODES,
  "vault_pause",
  "vault_kill",
  "vault_restart",
  "postgres_stop",
  "consumer_fail",
];

function draw(prng: Prng, kind: Fault["kind"] | AcquirerMode): Fault {
  if ((ACQUIRER_MODES as readonly string[]).includes(kind)) return acquirerFault(prng, kind as AcquirerMode);
  if (kind === "acquirer") return acquirerFault(prng, prng.pick(ACQUIRER_MODES));
  return { kind } as Fault;
}

/**
 * The fault schedule for `batches` batches of operations, from the seed alone: first one of each
 * kind (in a seeded order, spread over the run), then more at random, about one new fault every
 * three batches. The last batch runs with no new fault, so the campaign ends on healing.
 */
export function planSchedule(prng: Prng, batches: number): ScheduledFault[] {
  const schedule: ScheduledFault[] = [];
  const overlaps = (candidate: ScheduledFault) =>
    schedule.some(
      (other) =>
        hop(other.fault) === hop(candidate.fault) &&
        candidate.from <= Math.max(other.until, other.from) &&
        other.from <= Math.max(candidate.until, candidate.from),
    );
  const place = (fault: Fault, preferredFrom: number): boolean => {
    for (let tries = 0; tries < 12; tries++) {
      const from = tries === 0 ? preferredFrom : prng.int(0, Math.max(0, batches - 2));
      const instant = fault.kind === "vault_kill" || fault.kind === "vault_restart";
      const until = instant ? from : Math.min(batches - 1, from + prng.int(1, 2));
      const candidate = { fault, from, until };
      if (!overlaps(candidate)) {
        schedule.push(candidate);
        return true;
      }
    }
    return false;
  };
  const usable = Math.max(1, batches - 1);
  // Every kind must be in the run: placed first, and a campaign too short to hold them all says so.
  for (const [i, kind] of prng.shuffle(COVERAGE).entries()) {
    if (!place(draw(prng, kind), Math.floor((i * usable) / COVERAGE.length))) {
      throw new Error(`the schedule has no room for a ${kind} fault: run more operations`);
    }
  }
  const extra = Math.max(0, Math.floor(batches / 3) - COVERAGE.length);
  for (let i = 0; i < extra; i++) {
    const kind = prng.pick([
      "acquirer",
      "acquirer",
      "vault_pause",
      "vault_kill",
      "postgres_stop",
      "consumer_fail",
    ] as const);
    place(draw(prng, kind), prng.int(0, Math.max(0, batches - 2)));
  }
  return schedule.sort((a, b) => a.from - b.from || a.until - b.until);
}

export function describeFault(fault: Fault): string {
  if (fault.kind !== "acquirer") return fault.kind;
  const slow = fault.slow_ms === undefined ? "" : ` ${fault.slow_ms} ms`;
  return `acquirer ${fault.mode}${slow} on ${fault.messages.join(",")}`;
}
