import type { AttemptRow, DeliveryRow } from "./webhook-deliveries.repository.js";
import type { EndpointRow } from "./webhook-endpoints.repository.js";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The API's `webhook_endpoint`. The secret appears only in the create and rotate answers. */
export function endpointView(row: EndpointRow, secret?: string) {
  return {
    id: row.id,
    object: "webhook_endpoint" as const,
    livemode: row.livemode,
    url: row.url,
    description: row.description,
    enabled_events: row.enabledEvents,
    api_version: row.apiVersion,
    status: row.status,
    disabled_reason: row.disabledReason,
    previous_secret_expires: row.previousSecretExpiresAt ? seconds(row.previousSecretExpiresAt) : null,
    created: seconds(row.createdAt),
    ...(secret ? { secret } : {}),
  };
}

export function deliveryView(row: DeliveryRow, type: string, attempts: AttemptRow[]) {
  return {
    id: row.id,
    object: "webhook_delivery" as const,
    livemode: row.livemode,
    event: row.eventId,
    event_type: type,
    endpoint: row.endpointId,
    status: row.status,
    attempts_count: row.attempts,
    next_attempt: row.status === "pending" ? seconds(row.nextAttemptAt) : null,
    last_status_code: row.lastStatusCode,
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      created: seconds(attempt.createdAt),
      status_code: attempt.statusCode,
      latency_ms: attempt.latencyMs,
      response_excerpt: attempt.responseExcerpt,
      error: attempt.error,
    })),
    created: seconds(row.createdAt),
  };
}
