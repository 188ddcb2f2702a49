import { createHmac } from "node:crypto";
import { newId } from "./ids.js";

/** The API call behind an event: Stripe's events name it, so a receiver can tie the two together. */
export interface RequestContext {
  requestId: string;
  idempotencyKey: string | null;
}

export interface EventSink {
  emit(type: string, object: object, request: RequestContext): void;
}

export interface WebhookTarget {
  url: string;
  /** `whsec_...`: the HMAC key, used as is (UTF-8), as Stripe uses an endpoint's signing secret. */
  secret: string;
}

export interface EventRecord {
  id: string;
  type: string;
  created: number;
  delivery: {
    status: "pending" | "delivered" | "failed" | "no_endpoint";
    attempts: number;
    last_status: number | null;
  };
}

/** The API version events are rendered in: the one the official client (stripe 23.1.0) pins. */
export const API_VERSION = "2026-10-28.endive";
/** Waits between attempts (Stripe keeps trying for three days; a simulator gives up sooner). */
export const DEFAULT_RETRY_MS = [1_000, 5_000, 25_000, 125_000];
const KEPT_EVENTS = 1_000;

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`
 * (docs.stripe.com/webhooks#verify-manually): what `stripe.webhooks.constructEvent` checks.
 */
export function stripeSignature(secret: string, timestamp: number, payload: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex")}`;
}

/**
 * Events as Stripe sends them: one `event` object per change, POSTed as JSON to the endpoint,
 * signed, retried with backoff until it answers 2xx. Deliveries run in the background, never
 * holding up the API answer; the latest events and how their delivery went are kept for the admin API.
 */
export class Webhooks implements EventSink {
  private readonly events: EventRecord[] = [];
  private readonly stopped = new AbortController();

  constructor(
    private readonly target: WebhookTarget | null,
    private readonly livemode: boolean,
    private readonly retryMs: readonly number[] = DEFAULT_RETRY_MS,
  ) {}

  emit(type: string, object: object, request: RequestContext): void {
    const created = Math.floor(Date.now() / 1000);
    const event = {
      id: newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created,
      data: { object },
      livemode: this.livemode,
      pending_webhooks: this.target ? 1 : 0,
      request: { id: request.requestId, idempotency_key: request.idempotencyKey },
      type,
    };
    const record: EventRecord = {
      id: event.id,
      type,
      created,
      delivery: { status: this.target ? "pending" : "no_endpoint", attempts: 0, last_status: null },
    };
    this.events.push(record);
    if (this.events.length > KEPT_EVENTS) this.events.shift();
    if (this.target) void this.deliver(this.target, JSON.stringify(event), record);
  }

  all(): EventRecord[] {
    return [...this.events];
  }

  /** Ends every delivery still retrying (shutdown). */
  stop(): void {
    this.stopped.abort();
  }

  private async deliver(target: WebhookTarget, payload: string, record: EventRecord): Promise<void> {
    for (let attempt = 0; !this.stopped.signal.aborted; attempt++) {
      record.delivery.attempts += 1;
      try {
        const response = await fetch(target.url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": stripeSignature(target.secret, Math.floor(Date.now() / 1000), payload),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          },
          body: payload,
          signal: AbortSignal.any([AbortSignal.timeout(10_000), this.stopped.signal]),
        });
        record.delivery.last_status = response.status;
        await response.body?.cancel();
        if (response.ok) {
          record.delivery.status = "delivered";
          return;
        }
      } catch {
        record.delivery.last_status = null;
      }
      const wait = this.retryMs[attempt];
      if (wait === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
    }
    record.delivery.status = "failed";
  }
}
