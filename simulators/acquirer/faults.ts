/**
 * Faults the admin API switches on at run time, to test what the gateway does when the
 * network misbehaves:
 * - refuse: the TCP listener closes, so connections are refused;
 * - never_answer: requests are processed (booked) but no response is sent, as when a response is
 *   lost on the way back;
 * - slow: responses are delayed by `slow_ms`;
 * - garbled: the response frame holds bytes that are not an ISO 8583 message.
 * `messages` limits a fault to some request MTIs (default: the financial ones, so reversals,
 * repeats, inquiries and echoes still get through, as they would on a flaky issuer link).
 */
export type FaultMode = "none" | "refuse" | "never_answer" | "slow" | "garbled";

export interface FaultState {
  mode: FaultMode;
  slow_ms: number;
  messages: string[];
}

/** Every request MTI the host answers: a fault can target any of them. */
export const REQUEST_MTIS = ["0100", "0200", "0220", "0221", "0400", "0401", "0600", "0800"] as const;

export const FINANCIAL_REQUESTS = ["0100", "0200", "0220"];

export function noFault(): FaultState {
  return { mode: "none", slow_ms: 0, messages: [...FINANCIAL_REQUESTS] };
}

export function faultApplies(state: FaultState, mti: string): boolean {
  return state.mode !== "none" && state.messages.includes(mti);
}
