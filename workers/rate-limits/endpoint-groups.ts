/**
 * Rate limits are per merchant and per endpoint group, so a burst of payment creations does not
 * starve reads or refunds. Every authenticated route falls in exactly one group.
 */
export const ENDPOINT_GROUPS = ["payments_create", "payments_update", "reads", "writes"] as const;
export type EndpointGroup = (typeof ENDPOINT_GROUPS)[number];

export interface GroupLimit {
  /** Requests allowed per window. */
  limit: number;
  window_seconds: number;
}

/** Defaults per merchant (Stripe-like orders of magnitude); ops override them per merchant. */
export const DEFAULT_LIMITS: Record<EndpointGroup, GroupLimit> = {
  payments_create: { limit: 100, window_seconds: 1 },
  payments_update: { limit: 100, window_seconds: 1 },
  reads: { limit: 200, window_seconds: 1 },
  writes: { limit: 50, window_seconds: 1 },
};

export function endpointGroup(method: string, path: string): EndpointGroup {
  if (method === "GET" || method === "HEAD") return "reads";
  if (path === "/v1/payments") return "payments_create";
  if (path.startsWith("/v1/payments/") || path.startsWith("/v1/refunds")) return "payments_update";
  return "writes";
}

export function limitFor(group: EndpointGroup, overrides: Partial<Record<string, GroupLimit>>): GroupLimit {
  return overrides[group] ?? DEFAULT_LIMITS[group];
}
