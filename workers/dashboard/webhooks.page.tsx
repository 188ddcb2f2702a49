import { ActionForm } from "./action-form.js";
import type { ApiList, WebhookDelivery, WebhookEndpoint } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatTime, humanize } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

/** Each attempt in one line: when, the answer (or the error), how long it took. */
function attemptsText(delivery: WebhookDelivery): string {
  if (delivery.attempts.length === 0) return "not tried yet";
  return delivery.attempts
    .map(
      (attempt) =>
        `#${attempt.attempt} ${formatTime(attempt.created)}: ${attempt.status_code ?? attempt.error ?? "no answer"}${
          attempt.latency_ms === null ? "" : ` in ${attempt.latency_ms} ms`
        }`,
    )
    .join("; ");
}

function Deliveries({ endpoint, deliveries }: { endpoint: WebhookEndpoint; deliveries: WebhookDelivery[] }) {
  if (deliveries.length === 0) return <p class="muted">No deliveries yet.</p>;
  return (
    <div class="table-wrap">
      <table class="deliveries" data-endpoint={endpoint.id}>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Resend</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr data-delivery={delivery.id} data-event={delivery.event} data-attempts={String(delivery.attempts_count)}>
              <td>
                {delivery.event_type}
                <br />
                <span class="mono muted">{delivery.event}</span>
              </td>
              <td>
                {humanize(delivery.status)}
                {delivery.next_attempt ? ` (next ${formatTime(delivery.next_attempt)})` : ""}
              </td>
              <td>{attemptsText(delivery)}</td>
              <td>
                <ActionForm
                  id={`resend-${delivery.id}`}
                  url={`/v1/events/${delivery.event}/resend`}
                  label="Resend"
                  confirm={`Send ${delivery.event_type} to this endpoint again?`}
                >
                  <input type="hidden" name="endpoint" value={endpoint.id} />
                </ActionForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Webhook endpoints from `GET /v1/webhook_endpoints`, each with its latest deliveries and every
 * attempt (`GET /v1/webhook_endpoints/{id}/deliveries`), and a resend per delivery
 * (`POST /v1/events/{id}/resend` to that endpoint).
 */
export async function webhooksPage({ read, session, nonce }: PageContext) {
  const listed = await read<ApiList<WebhookEndpoint> & ApiErrorBody>("/v1/webhook_endpoints?limit=20");
  const endpoints = listed.status === 200 ? listed.body.data : [];
  const deliveries = await Promise.all(
    endpoints.map((endpoint) =>
      read<ApiList<WebhookDelivery> & ApiErrorBody>(`/v1/webhook_endpoints/${endpoint.id}/deliveries?limit=20`),
    ),
  );
  return (
    <Layout title="Webhooks" nonce={nonce} session={session} section="webhooks">
      {listed.status !== 200 ? <ApiErrorNote error={listed.body.error} /> : ""}
      {listed.status === 200 && endpoints.length === 0 ? (
        <p class="muted">No webhook endpoints in this mode. Add one with POST /v1/webhook_endpoints.</p>
      ) : (
        ""
      )}
      {endpoints.map((endpoint, index) => {
        const answer = deliveries[index];
        return (
          <section class="panel endpoint" data-endpoint={endpoint.id} aria-labelledby={`${endpoint.id}-heading`}>
            <h2 id={`${endpoint.id}-heading`} class="mono">
              {endpoint.url}
            </h2>
            <p class="muted">
              {endpoint.id} · {humanize(endpoint.status)} · {endpoint.enabled_events.join(", ")}
              {endpoint.description ? ` · ${endpoint.description}` : ""}
            </p>
            {answer && answer.status === 200 ? (
              <Deliveries endpoint={endpoint} deliveries={answer.body.data} />
            ) : (
              <ApiErrorNote error={answer?.body.error ?? { message: "Deliveries could not be read." }} />
            )}
          </section>
        );
      })}
    </Layout>
  );
}
