import type { ApiList } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatAmount, humanize } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

interface Balance {
  pending: { currency: string; amount: number }[];
  available: { currency: string; amount: number }[];
  paid: { currency: string; amount: number }[];
}

interface Settlement {
  id: string;
  status: string;
  currency: string;
  day: string;
  payout_on: string;
  transaction_count: number;
  amount: number;
  fee: number;
  net: number;
}

/** The balance (`GET /v1/balance`) and the settlement batches (`GET /v1/settlements`), newest first. */
export async function balancePage({ read, session, nonce }: PageContext) {
  const [balance, settlements] = await Promise.all([
    read<Balance & ApiErrorBody>("/v1/balance"),
    read<ApiList<Settlement> & ApiErrorBody>("/v1/settlements?limit=50"),
  ]);
  const amounts = (list: { currency: string; amount: number }[]) =>
    list.length === 0 ? "—" : list.map((entry) => formatAmount(entry.amount, entry.currency)).join(", ");
  return (
    <Layout title="Balance and settlements" nonce={nonce} session={session} section="balance">
      {balance.status === 200 ? (
        <div class="cards" id="balance">
          {(["pending", "available", "paid"] as const).map((kind) => (
            <section class="panel" aria-labelledby={`${kind}-heading`}>
              <h2 id={`${kind}-heading`}>{humanize(kind)}</h2>
              <p class="stat">{amounts(balance.body[kind])}</p>
            </section>
          ))}
        </div>
      ) : (
        <ApiErrorNote error={balance.body.error} />
      )}
      <h2>Settlements</h2>
      {settlements.status !== 200 ? <ApiErrorNote error={settlements.body.error} /> : ""}
      <div class="table-wrap">
        <table id="settlements">
          <caption class="muted">
            {settlements.status === 200 && settlements.body.data.length === 0 ? "No settlements yet." : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Payments
              </th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col" class="num">
                Fees
              </th>
              <th scope="col" class="num">
                Net
              </th>
              <th scope="col">Payout on</th>
            </tr>
          </thead>
          <tbody>
            {(settlements.status === 200 ? settlements.body.data : []).map((batch) => (
              <tr data-settlement={batch.id}>
                <td>{batch.day}</td>
                <td>{humanize(batch.status)}</td>
                <td class="num">{batch.transaction_count}</td>
                <td class="num">{formatAmount(batch.amount, batch.currency)}</td>
                <td class="num">{formatAmount(batch.fee, batch.currency)}</td>
                <td class="num">{formatAmount(batch.net, batch.currency)}</td>
                <td>{batch.payout_on}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
