import type { ApiList } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatTime } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

interface RequestLog {
  id: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  error_code: string | null;
  api_key: string | null;
  created: number;
}

/** The latest API requests of this mode from `GET /v1/request_logs`, with who made each (a key or a person). */
export async function requestLogsPage({ read, session, nonce }: PageContext) {
  const listed = await read<ApiList<RequestLog> & ApiErrorBody>("/v1/request_logs?limit=50");
  const logs = listed.status === 200 ? listed.body.data : [];
  return (
    <Layout title="Request logs" nonce={nonce} session={session} section="logs">
      {listed.status !== 200 ? <ApiErrorNote error={listed.body.error} /> : ""}
      <div class="table-wrap">
        <table id="request-logs">
          <caption class="muted">{logs.length === 0 ? "No requests yet." : "The latest 50"}</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Latency
              </th>
              <th scope="col">By</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {logs.map((log) => (
              <tr>
                <td class="mono">
                  {log.method} {log.path}
                </td>
                <td>
                  {log.status}
                  {log.error_code ? ` ${log.error_code}` : ""}
                </td>
                <td class="num">{log.latency_ms} ms</td>
                <td class="mono">{log.api_key ?? "—"}</td>
                <td>{formatTime(log.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
