import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { MiddlewareHandler } from "hono";
import { invalidRequest, PayPalFailure } from "./paypal-error.js";

/**
 * What a request created or acted on: a replay answers with its latest state. A void answers 204
 * without a body unless asked for the authorization (`Prefer: return=representation`, then 200):
 * `representation` keeps which, so the replay answers as the first did.
 */
export interface KeptResource {
  kind: "order" | "capture" | "authorization" | "refund" | "void";
  id: string;
  representation?: boolean;
}

type Slot = { state: "in_flight"; expiresAt: number } | { state: "done"; resource: KeptResource; expiresAt: number };

export type Env = { Variables: { kept: KeptResource | undefined } };

const HOUR_MS = 3_600_000;
/** Orders v2 keeps `PayPal-Request-Id` 6 hours; Payments v2 45 days (their OpenAPI's header descriptions). */
const ttlOf = (path: string) => (path.startsWith("/v2/checkout/") ? 6 * HOUR_MS : 45 * 24 * HOUR_MS);

/**
 * `PayPal-Request-Id` on a POST, as PayPal documents it (developer.paypal.com/api/rest/reference/
 * idempotency): a request whose id was seen before is not run again; PayPal "returns the latest
 * status of the previous request that used that same header", with 200 where the first answered
 * 201. PayPal does not compare the bodies, so neither does the simulator: another body under the
 * same id gets the first request's resource. The id is scoped to the path (the same id on another
 * order's capture is another request). A request that failed keeps nothing and may be retried;
 * one still running answers 409 PREVIOUS_REQUEST_IN_PROGRESS. Kept in a journal beside the books,
 * so a retry after a restart is still a replay.
 */
export class RequestIds {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly journalPath: string | null) {
    if (!journalPath || !existsSync(journalPath)) return;
    for (const line of readFileSync(journalPath, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const { key, resource, expiresAt } = JSON.parse(line) as {
        key: string;
        resource: KeptResource;
        expiresAt: number;
      };
      if (expiresAt > Date.now()) this.slots.set(key, { state: "done", resource, expiresAt });
    }
  }

  claim(key: string): { kind: "new" } | { kind: "replay"; resource: KeptResource } | { kind: "in_flight" } {
    const slot = this.slots.get(key);
    if (slot && slot.expiresAt > Date.now()) {
      return slot.state === "done" ? { kind: "replay", resource: slot.resource } : { kind: "in_flight" };
    }
    this.slots.set(key, { state: "in_flight", expiresAt: Date.now() + 60_000 });
    return { kind: "new" };
  }

  keep(key: string, resource: KeptResource, ttlMs: number): void {
    const expiresAt = Date.now() + ttlMs;
    this.slots.set(key, { state: "done", resource, expiresAt });
    if (this.journalPath) appendFileSync(this.journalPath, `${JSON.stringify({ key, resource, expiresAt })}\n`);
  }

  release(key: string): void {
    this.slots.delete(key);
  }
}

/** The middleware: handlers name what they created or acted on with `c.set("kept", ...)`. */
export function paypalRequestIds(
  ids: RequestIds,
  replay: (resource: KeptResource) => Response,
): MiddlewareHandler<Env> {
  return async function paypalRequestId(c, next) {
    const requestId = c.req.header("PayPal-Request-Id");
    if (c.req.method !== "POST" || requestId === undefined) return next();
    if (requestId.length < 1 || requestId.length > 108) {
      throw invalidRequest("INVALID_STRING_LENGTH", "PayPal-Request-Id", "header");
    }
    const key = `${c.req.path} ${requestId}`;
    const claim = ids.claim(key);
    if (claim.kind === "replay") return replay(claim.resource);
    if (claim.kind === "in_flight") throw new PayPalFailure(409, [{ issue: "PREVIOUS_REQUEST_IN_PROGRESS" }]);
    try {
      await next();
    } catch (error) {
      ids.release(key);
      throw error;
    }
    const kept = c.get("kept");
    if (c.res.status >= 300 || !kept) return ids.release(key);
    ids.keep(key, kept, ttlOf(c.req.path));
  };
}
