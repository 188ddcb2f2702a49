import { PAYMENT_STATUSES } from "../../db/schema/payments.js";
import type { ApiList, Payment } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatAmount, formatTime, humanize } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

const PAYMENT_ID = /^pay_[0-9a-f]{64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_SIZE = 25;

/** A `YYYY-MM-DD` day (UTC) as Unix seconds: its first second, or its last when `end`. */
function daySeconds(day: string | undefined, end: boolean): number | undefined {
  if (!day || !DAY.test(day)) return undefined;
  const start = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(start) ? undefined : start / 1000 + (end ? 86_399 : 0);
}

/**
 * Payments, newest first, from `GET /v1/payments`: filtered by status and creation day (UTC), 25
 * a page (`starting_after`), and a search box that opens a payment by its id. The filters are a
 * plain GET form, so the list works without the script.
 */
export async function paymentsListPage({ c, read, session, nonce }: PageContext) {
  const q = (c.req.query("q") ?? "").trim();
  if (PAYMENT_ID.test(q)) return c.redirect(`/dashboard/payments/${q}`, 302);
  const status = (PAYMENT_STATUSES as readonly string[]).includes(c.req.query("status") ?? "")
    ? c.req.query("status")
    : undefined;
  const from = c.req.query("from");
  const to = c.req.query("to");
  const after = c.req.query("starting_after");
  const api = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status) api.set("status", status);
  const gte = daySeconds(from, false);
  const lte = daySeconds(to, true);
  if (gte !== undefined) api.set("created[gte]", String(gte));
  if (lte !== undefined) api.set("created[lte]", String(lte));
  if (after && PAYMENT_ID.test(after)) api.set("starting_after", after);
  const answer = await read<ApiList<Payment> & ApiErrorBody>(`/v1/payments?${api}`);
  const payments = answer.status === 200 ? answer.body.data : [];
  const filters = new URLSearchParams();
  if (status) filters.set("status", status);
  if (gte !== undefined && from) filters.set("from", from);
  if (lte !== undefined && to) filters.set("to", to);
  const last = payments.at(-1);
  const next = last && answer.body.has_more ? `?${filters}${filters.size ? "&" : ""}starting_after=${last.id}` : null;
  return (
    <Layout title="Payments" nonce={nonce} session={session} section="payments">
      <form class="filters" method="get" action="/dashboard/payments" aria-label="Filter payments">
        <div>
          <label for="q">Payment id</label>
          <input id="q" name="q" type="search" placeholder="pay_…" value={q} size={20} />
        </div>
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any</option>
            {PAYMENT_STATUSES.map((value) => (
              <option value={value} selected={value === status}>
                {humanize(value)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="from">Created from (UTC)</label>
          <input id="from" name="from" type="date" value={gte !== undefined ? from : ""} />
        </div>
        <div>
          <label for="to">Created to (UTC)</label>
          <input id="to" name="to" type="date" value={lte !== undefined ? to : ""} />
        </div>
        <button type="submit">Filter</button>
      </form>
      {q ? (
        <p class="error" role="alert" id="search-error">
          A payment id is pay_ followed by 64 hexadecimal digits.
        </p>
      ) : (
        ""
      )}
      {answer.status !== 200 ? <ApiErrorNote error={answer.body.error} /> : ""}
      <div class="table-wrap">
        <table id="payments">
          <caption class="muted">{payments.length === 0 ? "No payments match." : `${payments.length} shown`}</caption>
          <thead>
            <tr>
              <th scope="col">Payment</th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col">Status</th>
              <th scope="col">Processor</th>
              <th scope="col">Description</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {payments.map((payment) => (
              <tr data-payment={payment.id} data-status={payment.status}>
                <td>
                  <a class="mono" href={`/dashboard/payments/${payment.id}`}>
                    {`${payment.id.slice(0, 14)}…`}
                  </a>
                </td>
                <td class="num">{formatAmount(payment.amount, payment.currency)}</td>
                <td>
                  <span class="badge">{humanize(payment.status)}</span>
                </td>
                <td>{payment.processor ?? "—"}</td>
                <td>{payment.description ?? ""}</td>
                <td>{formatTime(payment.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="pager">
        {after ? <a href={`/dashboard/payments?${filters}`}>First page</a> : ""}
        {next ? (
          <a href={`/dashboard/payments${next}`} id="next-page" rel="next">
            Next page
          </a>
        ) : (
          ""
        )}
      </p>
    </Layout>
  );
}
