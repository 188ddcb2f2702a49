import { ActionForm } from "./action-form.js";
import type { ApiKey, ApiList } from "./api-objects.js";
import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatTime, humanize } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

/**
 * API keys of the session's mode from `GET /v1/api_keys`: create, roll (a successor now, the old
 * key until the chosen overlap ends) and revoke through the same routes a key uses. A new key's secret is in the
 * answer once and only the page script shows it (it is never rendered by the server, so it is
 * in no cached or reloaded page). Only admins may change keys: the server refuses the others.
 */
export async function apiKeysPage({ read, session, nonce }: PageContext) {
  const listed = await read<ApiList<ApiKey> & ApiErrorBody>("/v1/api_keys?limit=50");
  const keys = listed.status === 200 ? listed.body.data : [];
  return (
    <Layout title="API keys" nonce={nonce} session={session} section="api_keys">
      <div class="panel secret" id="secret-once" hidden role="alert">
        <p>Your new key. Copy it now: it is never shown again.</p>
        <code />
      </div>
      <ActionForm id="create-key" url="/v1/api_keys" label="Create key" confirm={`Create a ${session.mode} key now?`}>
        <div>
          <label for="key-type">Type</label>
          <select id="key-type" name="type">
            <option value="secret">Secret</option>
            <option value="publishable">Publishable</option>
          </select>
        </div>
        <div>
          <label for="key-name">Name</label>
          <input id="key-name" name="name" type="text" maxlength={100} />
        </div>
      </ActionForm>
      {listed.status !== 200 ? <ApiErrorNote error={listed.body.error} /> : ""}
      <h2>Keys</h2>
      <div class="table-wrap">
        <table id="api-keys">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr data-key={key.id} data-status={key.status}>
                <td>
                  <span class="mono">{key.redacted}</span>
                  <br />
                  <span class="mono muted">{key.id}</span>
                </td>
                <td>{key.name ?? "—"}</td>
                <td>
                  {humanize(key.status)}
                  {key.expires_at ? ` until ${formatTime(key.expires_at)}` : ""}
                </td>
                <td>{formatTime(key.created)}</td>
                <td>
                  {key.status === "active" ? (
                    <div class="actions">
                      <ActionForm
                        id={`roll-${key.id}`}
                        url={`/v1/api_keys/${key.id}/roll`}
                        label="Roll"
                        confirm="Issue a successor now? Update your servers before the old key stops."
                      >
                        <div>
                          <label for={`overlap-${key.id}`}>Old key stops</label>
                          <select id={`overlap-${key.id}`} name="expires_in_seconds" data-integer="">
                            <option value="0">Now</option>
                            <option value="3600">In 1 hour</option>
                            <option value="86400">In 24 hours</option>
                          </select>
                        </div>
                      </ActionForm>
                      <ActionForm
                        id={`revoke-${key.id}`}
                        url={`/v1/api_keys/${key.id}/revoke`}
                        label="Revoke"
                        confirm="Revoke this key now? Requests with it stop within 30 seconds."
                        danger
                      />
                    </div>
                  ) : (
                    ""
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
