import type { ApiList, Payment } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatAmount, formatTime, humanize } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

/**
 * Refunds, newest first. The API has no refund list of its own (`GET /v1/refunds/{id}` only), so
 * they are read from the payments that have them (`GET /v1/payments?status=partially_refunded`
 * and `refunded`, each refund listed with its payment): the same API, no second one.
 */
export async function refundsPage({ read, session, nonce }: PageContext) {
  const answers = await Promise.all(
    ["partially_refunded", "refunded"].map((status) =>
      read<ApiList<Payment> & ApiErrorBody>(`/v1/payments?limit=100&status=${status}`),
    ),
  );
  const failed = answers.find((answer) => answer.status !== 200);
  const refunds = answers
    .flatMap((answer) => (answer.status === 200 ? answer.body.data : []))
    .flatMap((payment) => payment.refunds.map((refund) => ({ ...refund, payment: payment.id })))
    .sort((a, b) => b.created - a.created);
  return (
    <Layout title="Refunds" nonce={nonce} session={session} section="refunds">
      {failed ? <ApiErrorNote error={failed.body.error} /> : ""}
      <div class="table-wrap">
        <table id="refunds-list">
          <caption class="muted">
            {refunds.length === 0
              ? "No refunds in this mode."
              : "Of the latest 100 refunded and 100 partly refunded payments"}
          </caption>
          <thead>
            <tr>
              <th scope="col">Refund</th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
              <th scope="col">Payment</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {refunds.map((refund) => (
              <tr data-refund={refund.id}>
                <td class="mono">{refund.id}</td>
                <td class="num">{formatAmount(refund.amount, refund.currency)}</td>
                <td>{humanize(refund.status)}</td>
                <td>{refund.reason ? humanize(refund.reason) : "—"}</td>
                <td>
                  <a class="mono" href={`/dashboard/payments/${refund.payment}`}>{`${refund.payment.slice(0, 14)}…`}</a>
                </td>
                <td>{formatTime(refund.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
