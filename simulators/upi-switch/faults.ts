/**
 * Faults the admin API switches on at run time, with the aggregator's shape and meaning, in UPI
 * terms:
 * - refuse: the API port stops listening, so connections are refused;
 * - never_answer: the request is processed (a ReqPay is booked and goes on) but no HTTP answer is
 *   sent: the connection is held, then destroyed, so the gateway cannot know what happened;
 * - slow: the answer is delayed by `slow_ms`;
 * - garbled: the request is processed and the answer is 200 with bytes that are not XML.
 * `apis` limits a fault to some APIs (default: ReqPay, the one that moves money, so status checks
 * and VPA validation still get through, as inquiries do on the acquirer).
 * Besides the wire: `credit_leg` makes the payee bank's credit fail (the switch reverses the debit)
 * or stay unconfirmed (deemed), and `callbacks: drop` stops RespPay callbacks from being sent.
 */
export const FAULT_MODES = ["none", "refuse", "never_answer", "slow", "garbled"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const REQUEST_APIS = ["ReqPay", "ReqChkTxn", "ReqValAdd"] as const;
export type RequestApi = (typeof REQUEST_APIS)[number];

export interface FaultState {
  mode: FaultMode;
  slow_ms: number;
  apis: RequestApi[];
}

export type CreditLeg = "ok" | "fail" | "deemed";
export type CallbackMode = "deliver" | "drop";

export function noFault(): FaultState {
  return { mode: "none", slow_ms: 0, apis: ["ReqPay"] };
}

/** The API a request path is for (`/upi/{Api}/2.0/urn:txnid:{txnId}`), or null for anything else. */
export function apiOfPath(path: string): { api: RequestApi; txnId: string } | null {
  const match = /^\/upi\/([A-Za-z]+)\/2\.0\/urn:txnid:([A-Za-z0-9]{1,64})$/.exec(path);
  const api = REQUEST_APIS.find((candidate) => candidate === match?.[1]);
  return api && match?.[2] ? { api, txnId: match[2] } : null;
}

export function faultApplies(state: FaultState, api: RequestApi | null): boolean {
  return state.mode !== "none" && api !== null && state.apis.includes(api);
}
