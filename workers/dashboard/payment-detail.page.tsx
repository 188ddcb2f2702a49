import { CURRENCY_MINOR_UNITS } from "../../common/currencies.js";
import { ActionForm } from "./action-form.js";
import type { ApiList, Payment, Transition } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatAmount, formatTime, humanize } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

const REFUNDABLE = new Set(["captured", "partially_refunded"]);

/** The actions the payment's state allows (the object refuses the rest anyway, with a 409). */
function Actions({ payment }: { payment: Payment }) {
  const exponent = CURRENCY_MINOR_UNITS.get(payment.currency.toUpperCase()) ?? 2;
  const money = (amount: number) => formatAmount(amount, payment.currency);
  const refundable = payment.amount_captured - payment.amount_refunded;
  const base = `/v1/payments/${payment.id}`;
  const amountField = (id: string, name: string, max: number) => (
    <div>
      <label for={id}>
        Amount ({payment.currency.toUpperCase()}, up to {money(max)}; empty for all)
      </label>
      <input id={id} name={name} type="text" inputmode="decimal" data-exponent={String(exponent)} size={10} />
    </div>
  );
  const forms = [];
  if (payment.status === "authorized") {
    forms.push(
      <ActionForm id="capture-form" url={`${base}/capture`} label="Capture" confirm="Capture this payment now?">
        {amountField("capture-amount", "amount_to_capture", payment.amount_capturable)}
      </ActionForm>,
      <ActionForm
        id="cancel-form"
        url={`${base}/cancel`}
        label="Cancel payment"
        confirm="Cancel this authorization? The customer's funds are released."
        danger
      />,
    );
  }
  if (REFUNDABLE.has(payment.status) && refundable > 0) {
    forms.push(
      <ActionForm
        id="refund-form"
        url={`${base}/refund`}
        label="Refund"
        confirm="Refund this amount to the customer? This cannot be undone."
        danger
      >
        {amountField("refund-amount", "amount", refundable)}
        <div>
          <label for="refund-reason">Reason</label>
          <select id="refund-reason" name="reason">
            <option value="">None given</option>
            <option value="requested_by_customer">Requested by customer</option>
            <option value="duplicate">Duplicate</option>
            <option value="fraudulent">Fraudulent</option>
          </select>
        </div>
      </ActionForm>,
    );
  }
  if (forms.length === 0) return <p class="muted">No action is possible in this state.</p>;
  return <div class="actions">{forms}</div>;
}

/**
 * One payment from `GET /v1/payments/{id}` (the payment's own object): amounts, state, method,
 * processor, each attempt with its routing decision, refunds, the transition timeline from
 * `GET /v1/payments/{id}/events`, and the actions its state allows.
 */
export async function paymentDetailPage({ c, read, session, nonce }: PageContext) {
  const id = c.req.param("id") ?? "";
  const path = `/v1/payments/${encodeURIComponent(id)}`;
  const [found, events] = await Promise.all([
    read<Payment & ApiErrorBody>(path),
    read<ApiList<Transition> & ApiErrorBody>(`${path}/events`),
  ]);
  if (found.status !== 200) {
    c.status(found.status === 404 ? 404 : 200);
    return (
      <Layout title="Payment" nonce={nonce} session={session} section="payments">
        <ApiErrorNote error={found.body.error} />
        <p>
          <a href="/dashboard/payments">All payments</a>
        </p>
      </Layout>
    );
  }
  const payment = found.body;
  const money = (amount: number) => formatAmount(amount, payment.currency);
  const card = payment.payment_method?.card;
  return (
    <Layout title={`Payment of ${money(payment.amount)}`} nonce={nonce} session={session} section="payments">
      <div class="panel">
        <dl class="facts" id="payment-facts">
          <dt>Id</dt>
          <dd class="mono" id="payment-id">
            {payment.id}
          </dd>
          <dt>Status</dt>
          <dd id="payment-status" data-status={payment.status}>
            {humanize(payment.status)}
            {payment.pending_operation ? ` (${payment.pending_operation.type} pending)` : ""}
          </dd>
          <dt>Amount</dt>
          <dd>{money(payment.amount)}</dd>
          <dt>Captured</dt>
          <dd>{money(payment.amount_captured)}</dd>
          <dt>Refunded</dt>
          <dd id="amount-refunded">{money(payment.amount_refunded)}</dd>
          <dt>Capturable</dt>
          <dd>{money(payment.amount_capturable)}</dd>
          <dt>Capture</dt>
          <dd>{humanize(payment.capture_method)}</dd>
          <dt>Method</dt>
          <dd>
            {payment.payment_method?.type ?? "—"}
            {card?.last4 ? ` · ${card.brand ?? ""} •••• ${card.last4}` : ""}
          </dd>
          <dt>Processor</dt>
          <dd>{payment.processor ?? "—"}</dd>
          {payment.decline_code ? (
            <>
              <dt>Decline code</dt>
              <dd>{payment.decline_code}</dd>
            </>
          ) : (
            ""
          )}
          <dt>Description</dt>
          <dd id="payment-description">{payment.description ?? "—"}</dd>
          <dt>Customer</dt>
          <dd>{payment.customer ?? "—"}</dd>
          <dt>Created</dt>
          <dd>{formatTime(payment.created)}</dd>
          {Object.entries(payment.metadata ?? {}).map(([key, value]) => (
            <>
              <dt>{`metadata.${key}`}</dt>
              <dd class="metadata">{value}</dd>
            </>
          ))}
        </dl>
      </div>
      <h2>Actions</h2>
      <Actions payment={payment} />
      <h2>Timeline</h2>
      {events.status === 200 ? (
        <ol class="timeline" id="timeline">
          {events.body.data.map((event) => (
            <li data-type={event.event_type}>
              <strong>{event.event_type}</strong>{" "}
              <span class="muted">
                {event.old_status ? `${event.old_status} → ` : ""}
                {event.new_status} · {event.created_at.slice(0, 19).replace("T", " ")} UTC
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <ApiErrorNote error={events.body.error} />
      )}
      {payment.refunds.length > 0 ? (
        <>
          <h2>Refunds</h2>
          <div class="table-wrap">
            <table id="refunds">
              <thead>
                <tr>
                  <th scope="col">Refund</th>
                  <th scope="col" class="num">
                    Amount
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {payment.refunds.map((refund) => (
                  <tr>
                    <td class="mono">{refund.id}</td>
                    <td class="num">{formatAmount(refund.amount, refund.currency)}</td>
                    <td>{humanize(refund.status)}</td>
                    <td>{refund.reason ? humanize(refund.reason) : "—"}</td>
                    <td>{formatTime(refund.created)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        ""
      )}
      {payment.attempts.length > 0 ? (
        <>
          <h2>Attempts and routing</h2>
          <div class="table-wrap">
            <table id="attempts">
              <thead>
                <tr>
                  <th scope="col">Attempt</th>
                  <th scope="col">Processor</th>
                  <th scope="col">Status</th>
                  <th scope="col">Decline</th>
                  <th scope="col">Routing decision</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {payment.attempts.map((attempt) => (
                  <tr>
                    <td class="mono">{attempt.id}</td>
                    <td>{attempt.processor ?? "—"}</td>
                    <td>{humanize(attempt.status)}</td>
                    <td>{attempt.decline_code ?? attempt.network_code ?? "—"}</td>
                    <td>
                      {attempt.routing
                        ? `rule ${attempt.routing.rule}; candidates ${attempt.routing.candidates.join(", ")}${attempt.routing.skipped
                            .map((skip) => `; skipped ${skip.processor} (${skip.reason})`)
                            .join("")}`
                        : "decided by the vault"}
                    </td>
                    <td>{formatTime(attempt.created)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        ""
      )}
    </Layout>
  );
}
