/**
 * Faults the admin API switches on at run time, as on the acquirer simulator, in HTTP terms:
 * - refuse: the API port stops listening, so connections are refused;
 * - never_answer: the request is processed (booked, its idempotency key kept) but no response is
 *   sent, as when the answer is lost on the way back: the client times out not knowing;
 * - slow: the response is delayed by `slow_ms`;
 * - http_500: a 500 `api_error` before the request reaches the books (nothing happens, nothing is
 *   kept under its idempotency key, so a retry is safe);
 * - garbled: the request is processed, and the answer is not JSON.
 * `routes` limits a fault to some endpoints (default: the ones that move money, so status reads
 * and searches still get through, as inquiries do on the acquirer).
 */
export type FaultMode = "none" | "refuse" | "never_answer" | "slow" | "http_500" | "garbled";

export const ROUTES = [
  "payment_intents.create",
  "payment_intents.retrieve",
  "payment_intents.search",
  "payment_intents.capture",
  "payment_intents.cancel",
  "refunds.create",
  "refunds.retrieve",
] as const;
export type Route = (typeof ROUTES)[number];

export const MONEY_ROUTES: Route[] = [
  "payment_intents.create",
  "payment_intents.capture",
  "payment_intents.cancel",
  "refunds.create",
];

export interface FaultState {
  mode: FaultMode;
  slow_ms: number;
  routes: Route[];
}

export function noFault(): FaultState {
  return { mode: "none", slow_ms: 0, routes: [...MONEY_ROUTES] };
}

/** Which endpoint a request is for, or null for a path the API does not serve. */
export function routeOf(method: string, path: string): Route | null {
  if (method === "POST" && path === "/v1/payment_intents") return "payment_intents.create";
  if (method === "POST" && path === "/v1/refunds") return "refunds.create";
  if (method === "GET" && path === "/v1/payment_intents/search") return "payment_intents.search";
  if (method === "GET" && /^\/v1\/refunds\/[^/]+$/.test(path)) return "refunds.retrieve";
  const intent = /^\/v1\/payment_intents\/[^/]+(\/capture|\/cancel)?$/.exec(path);
  if (!intent) return null;
  if (method === "GET" && !intent[1]) return "payment_intents.retrieve";
  if (method === "POST" && intent[1] === "/capture") return "payment_intents.capture";
  if (method === "POST" && intent[1] === "/cancel") return "payment_intents.cancel";
  return null;
}

export function faultApplies(state: FaultState, route: Route | null): boolean {
  return state.mode !== "none" && route !== null && state.routes.includes(route);
}
