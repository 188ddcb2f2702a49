import type { PaymentSummary } from "./api-objects.js";
import { BarChart } from "./bar-chart.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatAmount } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";
import { paymentStats } from "./payment-stats.js";

const DAYS = 14;
const EMPTY: PaymentSummary = {
  count: 0,
  approved: 0,
  declined: 0,
  volume: [],
  declines_by_code: [],
  processors: [],
  days: [],
};

/**
 * Home: the last 14 days' volume, authorization rate, declines by code and per processor, from
 * `GET /v1/payments/summary` (summed in Postgres over every payment in the range, not a page of
 * the list): the same API a merchant's key reads, no second one.
 */
export async function homePage({ read, session, nonce }: PageContext) {
  // From the start of the UTC day 13 days ago: 14 whole days, today's so far included.
  const since = Math.floor(Date.now() / 86_400_000 - (DAYS - 1)) * 86_400;
  const answer = await read<PaymentSummary & ApiErrorBody>(`/v1/payments/summary?created[gte]=${since}`);
  const failure: ApiErrorBody | null = answer.status === 200 ? null : answer.body;
  const stats = paymentStats(failure ? EMPTY : answer.body);
  return (
    <Layout title="Home" nonce={nonce} session={session} section="home">
      {failure ? <ApiErrorNote error={failure.error} /> : ""}
      <p class="muted">
        The last {DAYS} days (UTC), {stats.count} payments.
      </p>
      <div class="cards">
        <section class="panel" aria-labelledby="volume-heading">
          <h2 id="volume-heading">Volume</h2>
          {stats.volume.length === 0 ? (
            <p class="stat">—</p>
          ) : (
            stats.volume.map((entry) => <p class="stat volume">{formatAmount(entry.amount, entry.currency)}</p>)
          )}
          <p class="muted">Captured, less refunds</p>
        </section>
        <section class="panel" aria-labelledby="rate-heading">
          <h2 id="rate-heading">Authorization rate</h2>
          <p class="stat" id="auth-rate">
            {stats.authorizationRate}
          </p>
          <p class="muted">
            {stats.approved} approved, {stats.declined} declined
          </p>
        </section>
      </div>
      <div class="cards">
        <section class="panel" aria-labelledby="days-heading">
          <h2 id="days-heading">Payments per day</h2>
          <BarChart id="chart-days" title="Payments per day (UTC)" bars={stats.perDay} />
        </section>
        <section class="panel" aria-labelledby="declines-heading">
          <h2 id="declines-heading">Declines by code</h2>
          <BarChart id="chart-declines" title="Declined payments by decline code" bars={stats.declinesByCode} />
        </section>
        <section class="panel" aria-labelledby="processors-heading">
          <h2 id="processors-heading">Per processor</h2>
          <BarChart
            id="chart-processors"
            title="Payments per processor, with each one's authorization rate"
            bars={stats.byProcessor}
          />
        </section>
      </div>
    </Layout>
  );
}
