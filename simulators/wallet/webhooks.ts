import { transmissionString } from "../../common/wallet/paypal-webhook-signature.js";
import type { SigningCertificate } from "./certificate.js";
import { eventId, transmissionId } from "./paypal-ids.js";

export type WebhookMode = "deliver" | "drop";

export interface DeliveryAttempt {
  attempt: number;
  replay: boolean;
  transmissionId: string;
  at: string;
  /** The receiver's HTTP status, or null when the connection failed. */
  status: number | null;
  error?: string;
}

export interface EventRecord {
  id: string;
  eventType: string;
  resourceType: string;
  resourceId: string;
  orderId: string;
  createdAt: string;
  /** The body exactly as sent: a replay sends the same bytes, signed anew. */
  body: string;
  delivery: { status: "pending" | "delivered" | "failed" | "no_endpoint" | "dropped"; attempts: DeliveryAttempt[] };
}

/** Waits after each failed attempt: 1 s, 5 s, 25 s, 125 s, then it gives up (PayPal goes on for 3 days, 25 tries). */
export const DEFAULT_RETRY_MS = [1_000, 5_000, 25_000, 125_000];
const KEPT_EVENTS = 2_000;

/** PayPal's timestamps on the wire: RFC 3339 in UTC, to the second (`2016-09-21T22:00:46Z`). */
const wireTime = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Webhook events as PayPal sends them (developer.paypal.com/api/rest/webhooks/rest): one event per
 * change, POSTed as JSON, signed with the simulator's certificate (PAYPAL-TRANSMISSION-SIG over
 * `transmission id|time|webhook id|crc32(body)`), retried until the receiver answers 2xx. Each
 * delivery runs in the background; the events and every attempt are kept for the admin API.
 */
export class Webhooks {
  private readonly events: EventRecord[] = [];
  private readonly stopped = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: {
      url: string | null;
      webhookId: string;
      certificate: SigningCertificate;
      /** The API's base URL: the certificate's URL and the events' links are under it. */
      base: () => string;
      mode: () => WebhookMode;
      retryMs?: readonly number[];
      log?: (line: object) => void;
    },
  ) {}

  emit(event: { type: string; resourceType: string; summary: string; resource: { id: string }; orderId: string }) {
    const id = eventId();
    const createdAt = wireTime();
    const self = `${this.options.base()}/v1/notifications/webhooks-events/${id}`;
    const body = JSON.stringify({
      id,
      event_version: "1.0",
      create_time: createdAt,
      resource_type: event.resourceType,
      resource_version: "2.0",
      event_type: event.type,
      summary: event.summary,
      resource: event.resource,
      links: [
        { href: self, rel: "self", method: "GET" },
        { href: `${self}/resend`, rel: "resend", method: "POST" },
      ],
    });
    const status = !this.options.url ? "no_endpoint" : this.options.mode() === "drop" ? "dropped" : "pending";
    const record: EventRecord = {
      id,
      eventType: event.type,
      resourceType: event.resourceType,
      resourceId: event.resource.id,
      orderId: event.orderId,
      createdAt,
      body,
      delivery: { status, attempts: [] },
    };
    this.events.push(record);
    if (this.events.length > KEPT_EVENTS) this.events.shift();
    if (status === "pending") void this.deliver(record, 0);
    return record;
  }

  all(orderId?: string): EventRecord[] {
    return this.events.filter((event) => !orderId || event.orderId === orderId);
  }

  get(id: string): EventRecord | undefined {
    return this.events.find((event) => event.id === id);
  }

  /** Sends the event once more, signed anew (tests of late and duplicate webhooks); the receiver's status. */
  async replay(record: EventRecord): Promise<number | null> {
    return (await this.attempt(record, true)).status;
  }

  stop(): void {
    this.stopped.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async deliver(record: EventRecord, retry: number): Promise<void> {
    const status = (await this.attempt(record, false)).status;
    if (status !== null && status >= 200 && status < 300) {
      record.delivery.status = "delivered";
      return;
    }
    const wait = (this.options.retryMs ?? DEFAULT_RETRY_MS)[retry];
    if (wait === undefined || this.stopped.signal.aborted) {
      record.delivery.status = "failed";
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(record, retry + 1);
    }, wait);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(record: EventRecord, replay: boolean): Promise<DeliveryAttempt> {
    const attempt: DeliveryAttempt = {
      attempt: record.delivery.attempts.length + 1,
      replay,
      transmissionId: transmissionId(),
      at: wireTime(),
      status: null,
    };
    record.delivery.attempts.push(attempt);
    if (!this.options.url) {
      attempt.error = "no webhook URL";
      return attempt;
    }
    const { certificate, webhookId } = this.options;
    try {
      const response = await fetch(this.options.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "PayPal/AUHD-214.0-wallet-simulator",
          "PAYPAL-TRANSMISSION-ID": attempt.transmissionId,
          "PAYPAL-TRANSMISSION-TIME": attempt.at,
          "PAYPAL-TRANSMISSION-SIG": certificate.sign(
            transmissionString(attempt.transmissionId, attempt.at, webhookId, record.body),
          ),
          "PAYPAL-CERT-URL": `${this.options.base()}/v1/notifications/certs/${certificate.name}`,
          "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        },
        body: record.body,
        signal: AbortSignal.any([AbortSignal.timeout(10_000), this.stopped.signal]),
      });
      attempt.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
    }
    this.options.log?.({
      level: attempt.status !== null && attempt.status < 300 ? "info" : "warn",
      message: "wallet webhook attempt",
      event: record.id,
      event_type: record.eventType,
      ...attempt,
    });
    return attempt;
  }
}
