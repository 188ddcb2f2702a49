import type { Route } from "../../simulators/wallet/faults.js";
import type { Prng } from "./prng.js";

/**
 * The ISO 8583 requests the campaign faults at the acquirer: authorization, sale, completion
 * advice and its repeat, reversal and its repeat.
 */
export const FAULTABLE_MESSAGES = ["0100", "0200", "0220", "0221", "0400", "0401"] as const;

/**
 * The requests the campaign faults at the UPI switch: ReqPay (payments and refunds), ReqChkTxn
 * (status checks) and ReqValAdd (VPA validation before a collect). A `refuse` closes the switch's
 * port, so it takes every API at once.
 */
export const FAULTABLE_UPI_APIS = ["ReqPay", "ReqChkTxn", "ReqValAdd"] as const;

/**
 * The wallet simulator's endpoints the campaign faults (simulators/wallet/faults.ts ROUTES): the
 * token, the order's creation, reading, capture and authorize, the authorization's capture and
 * void, the capture's refund, and the reads a pending capture or refund is asked about by. A
 * `refuse` closes the wallet's port (its approval page with it), so it takes every route at once.
 */
export const FAULTABLE_WALLET_ROUTES: readonly Route[] = [
  "oauth.token",
  "orders.create",
  "orders.get",
  "orders.capture",
  "orders.authorize",
  "authorizations.capture",
  "authorizations.void",
  "captures.get",
  "captures.refund",
  "refunds.get",
];

type WireMode = "never_answer" | "slow" | "refuse" | "garbled";
/** The wallet's wire has PayPal's own 500 too (answered before the request runs: a retry is safe). */
type WalletMode = WireMode | "http_500";

export type Fault =
  | { kind: "acquirer"; mode: WireMode; messages: string[]; slow_ms?: number }
  /** The gateway's hop to the UPI switch (simulators/upi-switch/faults.ts: the same four modes). */
  | { kind: "upi_switch"; mode: WireMode; apis: string[]; slow_ms?: number }
  /** The payee bank's credit inside the network: failed (the switch reverses the debit) or deemed (unconfirmed). */
  | { kind: "upi_credit_leg"; leg: "fail" | "deemed" }
  /** The switch's RespPay callbacks to the gateway are dropped (never sent): only status checks tell. */
  | { kind: "upi_callbacks_drop" }
  /** The gateway's hop to the wallet (simulators/wallet/faults.ts: the four modes and PayPal's 500). */
  | { kind: "wallet"; mode: WalletMode; routes: Route[]; slow_ms?: number }
  /** The wallet's webhooks to the gateway are dropped (never sent): the payer's return or a status check must tell. */
  | { kind: "wallet_webhooks_drop" }
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

/**
 * Which hop a fault breaks: two faults of one hop never overlap (the second would hide the first).
 * The UPI switch has three: the gateway's requests to it, its payee bank's credit leg, and its
 * callbacks to the gateway, so a dropped callback can meet a status check that is not answered;
 * the wallet two likewise: the gateway's requests to it, and its webhooks to the gateway.
 */
const hop = (fault: Fault) => (fault.kind.startsWith("vault") ? "vault" : fault.kind);

const WIRE_MODES: readonly WireMode[] = ["never_answer", "slow", "refuse", "garbled"];
const WALLET_MODES: readonly WalletMode[] = [...WIRE_MODES, "http_500"];
const CREDIT_LEGS = ["fail", "deemed"] as const;

function acquirerFault(prng: Prng, mode: WireMode): Fault {
  const messages = prng.subset(FAULTABLE_MESSAGES);
  // 14 s is past the networks' response timers (10 and 12 s): a late answer, not just a slow one.
  return mode === "slow"
    ? { kind: "acquirer", mode, messages, slow_ms: prng.pick([1_500, 6_000, 14_000]) }
    : { kind: "acquirer", mode, messages };
}

function upiSwitchFault(prng: Prng, mode: WireMode): Fault {
  if (mode === "refuse") return { kind: "upi_switch", mode, apis: [...FAULTABLE_UPI_APIS] };
  const apis = prng.subset(FAULTABLE_UPI_APIS);
  // 20 s is past the switch's answer times the edge waits for (15 s for ReqPay, 10 s for a check).
  return mode === "slow"
    ? { kind: "upi_switch", mode, apis, slow_ms: prng.pick([1_500, 6_000, 20_000]) }
    : { kind: "upi_switch", mode, apis };
}

function walletFault(prng: Prng, mode: WalletMode): Fault {
  if (mode === "refuse") return { kind: "wallet", mode, routes: [...FAULTABLE_WALLET_ROUTES] };
  const routes = prng.subset(FAULTABLE_WALLET_ROUTES);
  // 25 s is past the edge's budget for a wallet write (20 s, WALLET_WRITE_MS): a late answer, not a slow one.
  return mode === "slow"
    ? { kind: "wallet", mode, routes, slow_ms: prng.pick([1_500, 6_000, 25_000]) }
    : { kind: "wallet", mode, routes };
}

/** A fault kind as the coverage names it: the wire hops once per mode, the credit leg once per way. */
type Coverable =
  | Fault["kind"]
  | `acquirer ${WireMode}`
  | `upi_switch ${WireMode}`
  | `wallet ${WalletMode}`
  | `upi_credit_leg ${(typeof CREDIT_LEGS)[number]}`;

/** Every kind once, the wire hops once per mode, so a long enough campaign exercises all of them. */
const COVERAGE: readonly Coverable[] = [
  ...WIRE_MODES.map((mode) => `acquirer ${mode}` as const),
  "vault_pause",
  "vault_kill",
  "vault_restart",
  "postgres_stop",
  "consumer_fail",
  ...WIRE_MODES.map((mode) => `upi_switch ${mode}` as const),
  ...CREDIT_LEGS.map((leg) => `upi_credit_leg ${leg}` as const),
  "upi_callbacks_drop",
  ...WALLET_MODES.map((mode) => `wallet ${mode}` as const),
  "wallet_webhooks_drop",
];

function draw(prng: Prng, kind: Coverable): Fault {
  const [base, variant] = kind.split(" ") as [Fault["kind"], string | undefined];
  switch (base) {
    case "acquirer":
      return acquirerFault(prng, (variant as WireMode | undefined) ?? prng.pick(WIRE_MODES));
    case "upi_switch":
      return upiSwitchFault(prng, (variant as WireMode | undefined) ?? prng.pick(WIRE_MODES));
    case "wallet":
      return walletFault(prng, (variant as WalletMode | undefined) ?? prng.pick(WALLET_MODES));
    case "upi_credit_leg":
      return { kind: base, leg: (variant as (typeof CREDIT_LEGS)[number] | undefined) ?? prng.pick(CREDIT_LEGS) };
    default:
      return { kind: base } as Fault;
  }
}

/** A fault's coverage name (the kind, and the mode or leg where it has one): what a campaign must have run. */
export function coverageName(fault: Fault): string {
  if (fault.kind === "acquirer" || fault.kind === "upi_switch" || fault.kind === "wallet") {
    return `${fault.kind} ${fault.mode}`;
  }
  if (fault.kind === "upi_credit_leg") return `${fault.kind} ${fault.leg}`;
  return fault.kind;
}

/** The coverage names of every fault a long enough schedule has (the test compares). */
export const COVERED_FAULTS: readonly string[] = COVERAGE;

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
    for (let tries = 0; tries < 30; tries++) {
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
      "upi_switch",
      "upi_switch",
      "upi_credit_leg",
      "upi_callbacks_drop",
      "wallet",
      "wallet",
      "wallet_webhooks_drop",
    ] as const);
    place(draw(prng, kind), prng.int(0, Math.max(0, batches - 2)));
  }
  return schedule.sort((a, b) => a.from - b.from || a.until - b.until);
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case "acquirer":
    case "upi_switch":
    case "wallet": {
      const slow = fault.slow_ms === undefined ? "" : ` ${fault.slow_ms} ms`;
      const what = fault.kind === "acquirer" ? fault.messages : fault.kind === "wallet" ? fault.routes : fault.apis;
      return `${fault.kind.replace("_", " ")} ${fault.mode}${slow} on ${what.join(",")}`;
    }
    case "upi_credit_leg":
      return `upi credit leg ${fault.leg}`;
    default:
      return fault.kind;
  }
}
