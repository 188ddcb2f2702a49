/**
 * Faults the admin API switches on at run time, to test what the gateway does when the
 * network misbehaves:
 * - refuse: the TCP listener closes, so connections are refused;
 * - never_answer: requests are processed (booked) but no response is sent, as when a response is
 *   lost on the way back;
 * - slow: responses are delayed by `slow_ms`;
 * - garbled: the response frame holds bytes that are not an ISO 8583 message;
 * - decline_share: a `share` (0..1) of authorizations and sales is declined with `code` (default
 *   91, issuer or switch inoperative: a soft decline, so the gateway may route elsewhere), spread
 *   evenly and the same way after every switch (see decline-share.ts); the rest behave as usual.
 * `messages` limits a fault to some request MTIs (default: the financial ones, so reversals,
 * repeats, inquiries and echoes still get through, as they would on a flaky issuer link).
 */
export type FaultMode = "none" | "refuse" | "never_answer" | "slow" | "garbled" | "decline_share";

export const FAULT_MODES = ["none", "refuse", "never_answer", "slow", "garbled", "decline_share"] as const;

export interface FaultState {
  mode: FaultMode;
  slow_ms: number;
  /** decline_share: the share of authorizations declined, and the field 39 code they get. */
  share: number;
  code: string;
  messages: string[];
}

/** Every request MTI the host answers: a fault can target any of them. */
export const REQUEST_MTIS = ["0100", "0200", "0220", "0221", "0400", "0401", "0600", "0800"] as const;

export const FINANCIAL_REQUESTS = ["0100", "0200", "0220"];

/** ISO 8583 field 39 91 "issuer or switch inoperative": a soft decline (common/processor-registry.ts). */
export const DEFAULT_DECLINE_CODE = "91";

export function noFault(): FaultState {
  return { mode: "none", slow_ms: 0, share: 0, code: DEFAULT_DECLINE_CODE, messages: [...FINANCIAL_REQUESTS] };
}

export function faultApplies(state: FaultState, mti: string): boolean {
  return state.mode !== "none" && state.messages.includes(mti);
}
