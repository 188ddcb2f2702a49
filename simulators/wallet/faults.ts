/**
 * Faults the admin API switches on at run time, with the aggregator's shape and meaning, in
 * PayPal's terms:
 * - refuse: the API port stops listening, so connections are refused (the approval page too);
 * - never_answer: the request is processed (booked, its PayPal-Request-Id kept) but no answer
 *   comes: the connection is held, then destroyed, so the caller cannot know what happened;
 * - slow: the answer is delayed by `slow_ms`;
 * - http_500: PayPal's 500 INTERNAL_SERVER_ERROR before the request reaches the books (nothing
 *   happens, nothing is kept: a retry is safe);
 * - garbled: the request is processed and the answer is 200 with bytes that are not JSON.
 * `routes` limits a fault to some endpoints (default: the ones that move money, so reads still
 * get through, as inquiries do on the acquirer).
 */
export const FAULT_MODES = ["none", "refuse", "never_answer", "slow", "http_500", "garbled"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const ROUTES = [
  "oauth.token",
  "orders.create",
  "orders.get",
  "orders.capture",
  "orders.authorize",
  "authorizations.get",
  "authorizations.capture",
  "authorizations.void",
  "captures.get",
  "captures.refund",
  "refunds.get",
] as const;
export type Route = (typeof ROUTES)[number];

export const MONEY_ROUTES: Route[] = [
  "orders.create",
  "orders.capture",
  "orders.authorize",
  "authorizations.capture",
  "authorizations.void",
  "captures.refund",
];

export interface FaultState {
  mode: FaultMode;
  slow_ms: number;
  routes: Route[];
}

export function noFault(): FaultState {
  return { mode: "none", slow_ms: 0, routes: [...MONEY_ROUTES] };
}

const PATTERNS: [string, RegExp, Route][] = [
  ["POST", /^\/v1\/oauth2\/token$/, "oauth.token"],
  ["POST", /^\/v2\/checkout\/orders$/, "orders.create"],
  ["GET", /^\/v2\/checkout\/orders\/[^/]+$/, "orders.get"],
  ["POST", /^\/v2\/checkout\/orders\/[^/]+\/capture$/, "orders.capture"],
  ["POST", /^\/v2\/checkout\/orders\/[^/]+\/authorize$/, "orders.authorize"],
  ["GET", /^\/v2\/payments\/authorizations\/[^/]+$/, "authorizations.get"],
  ["POST", /^\/v2\/payments\/authorizations\/[^/]+\/capture$/, "authorizations.capture"],
  ["POST", /^\/v2\/payments\/authorizations\/[^/]+\/void$/, "authorizations.void"],
  ["GET", /^\/v2\/payments\/captures\/[^/]+$/, "captures.get"],
  ["POST", /^\/v2\/payments\/captures\/[^/]+\/refund$/, "captures.refund"],
  ["GET", /^\/v2\/payments\/refunds\/[^/]+$/, "refunds.get"],
];

/** Which endpoint a request is for, or null for anything else (the approval page, certificates). */
export function routeOf(method: string, path: string): Route | null {
  return PATTERNS.find(([m, pattern]) => m === method && pattern.test(path))?.[2] ?? null;
}

export function faultApplies(state: FaultState, route: Route | null): boolean {
  return state.mode !== "none" && route !== null && state.routes.includes(route);
}
