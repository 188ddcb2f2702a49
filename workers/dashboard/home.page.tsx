import type { ApiList, Payment } from "./api-objects.js";
import { BarChart } from "./bar-chart.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatAmount } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";
import { paymentStats } from "./payment-stats.js";

const DAYS = 14;
/** At most this many pages of 100: the home page stays a few reads of the list API, never a scan. */
const PAGES = 5;

const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${((part / whole) * 100).toFixed(1)}%`);

/**
 * Home: the last 14 days' volume, authorization rate, declines by code and per processor, from
 * the payments `GET /v1/payments` lists (newest first, up to 500): the same API, no second one.
 */
export async function homePage({ read, session, nonce }: PageContext) {
  const since = Math.floor(Date.now() / 1000) - DAYS * 86_400;
  const payments: Payment[] = [];
  let failure: ApiErrorBody | null = null;
  let after: string | undefined;
  for (let page = 0; page < PAGES; page += 1) {
    const query = new URLSearchParams({ limit: "100", "created[gte]": String(since) });
    if (after) query.set("starting_after", after);
    const answer = await read<ApiList<Payment> & ApiErrorBody>(`/v1/payments?${query}`);
    if (answer.status !== 200) {
      failure = answer.body;
      break;
    }
    payments.push(...answer.body.data);
    after = answer.body.data.at(-1)?.id;
    if (!answer.body.has_more || !after) break;
  }
  const stats = paymentStats(payments, DAYS);
  const decided = stats.approved + stats.declined;
  return (
    <Layout title="Home" nonce={nonce} session={session} section="home">
      {failure ? <ApiErrorNote error={failure.error} /> : ""}
      <p class="muted">
        The last {DAYS} days, {stats.count} payments{stats.count >= PAGES * 100 ? " (the most recent 500)" : ""}.
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
            {percent(stats.approved, decided)}
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
            bars={stats.byProcessor.map((entry) => ({
              label: entry.processor,
              value: entry.count,
              text: `${entry.count} · ${percent(entry.approved, entry.count)}`,
            }))}
          />
        </section>
      </div>
    </Layout>
  );
}
