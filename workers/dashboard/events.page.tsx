import { EVENT_TYPES } from "../events/event-types.js";
import type { ApiList, GatewayEvent } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatTime } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

const PAGE_SIZE = 25;

/** What an event is about, linked when the dashboard has a page for it. */
function Subject({ id }: { id: string | undefined }) {
  if (!id) return <span>—</span>;
  if (id.startsWith("pay_")) {
    return (
      <a class="mono" href={`/dashboard/payments/${id}`}>
        {`${id.slice(0, 14)}…`}
      </a>
    );
  }
  return <span class="mono">{id}</span>;
}

/** Events, newest first, from `GET /v1/events`, filtered by type, 25 a page. */
export async function eventsPage({ c, read, session, nonce }: PageContext) {
  const type = (EVENT_TYPES as readonly string[]).includes(c.req.query("type") ?? "") ? c.req.query("type") : undefined;
  const after = c.req.query("starting_after");
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (type) query.set("type", type);
  if (after && /^evt_\w+$/.test(after)) query.set("starting_after", after);
  const answer = await read<ApiList<GatewayEvent> & ApiErrorBody>(`/v1/events?${query}`);
  const events = answer.status === 200 ? answer.body.data : [];
  const last = events.at(-1);
  const next = last && answer.body.has_more ? `?${type ? `type=${type}&` : ""}starting_after=${last.id}` : null;
  return (
    <Layout title="Events" nonce={nonce} session={session} section="events">
      <form class="filters" method="get" action="/dashboard/events">
        <div>
          <label for="type">Type</label>
          <select id="type" name="type">
            <option value="">Any</option>
            {EVENT_TYPES.map((value) => (
              <option value={value} selected={value === type}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      {answer.status !== 200 ? <ApiErrorNote error={answer.body.error} /> : ""}
      <div class="table-wrap">
        <table id="events">
          <caption class="muted">{events.length === 0 ? "No events match." : `${events.length} shown`}</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">Object</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr data-event={event.id} data-type={event.type}>
                <td class="mono">{event.id}</td>
                <td>{event.type}</td>
                <td>
                  <Subject id={event.data.object.id} />
                </td>
                <td>{formatTime(event.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="pager">
        {after ? <a href={`/dashboard/events${type ? `?type=${type}` : ""}`}>First page</a> : ""}
        {next ? (
          <a href={`/dashboard/events${next}`} rel="next">
            Next page
          </a>
        ) : (
          ""
        )}
      </p>
    </Layout>
  );
}
