import type { ApiErrorBody } from "./dashboard-api.js";
import type { PageContext } from "./dashboard-page.js";
import { formatTime } from "./format.js";
import { ApiErrorNote, Layout } from "./layout.js";

interface RoutingConfig {
  version: number;
  updated: number | null;
  rules: { name: string; conditions: unknown; route: unknown }[];
  default: unknown;
  disabled: string[];
  max_attempts?: number;
}

/**
 * The routing configuration of this mode (`GET /v1/routing`), read only: each rule's conditions
 * and route as the API spells them, in the order they are tried. Changes go through `PUT /v1/routing`.
 */
export async function routingPage({ read, session, nonce }: PageContext) {
  const found = await read<RoutingConfig & ApiErrorBody>("/v1/routing");
  if (found.status !== 200) {
    return (
      <Layout title="Routing" nonce={nonce} session={session} section="routing">
        <ApiErrorNote error={found.body.error} />
      </Layout>
    );
  }
  const config = found.body;
  return (
    <Layout title="Routing" nonce={nonce} session={session} section="routing">
      <p class="muted">
        Version {config.version}
        {config.updated ? `, changed ${formatTime(config.updated)}` : " (the platform's default)"}.
        {config.disabled.length > 0 ? ` Disabled: ${config.disabled.join(", ")}.` : ""}
        {config.max_attempts ? ` At most ${config.max_attempts} attempts a payment.` : ""}
      </p>
      <div class="table-wrap">
        <table id="routing-rules">
          <caption class="muted">Rules, tried in order; the first whose conditions all hold routes the payment</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Conditions</th>
              <th scope="col">Route</th>
            </tr>
          </thead>
          <tbody>
            {config.rules.map((rule) => (
              <tr>
                <td>{rule.name}</td>
                <td>
                  <code>{JSON.stringify(rule.conditions)}</code>
                </td>
                <td>
                  <code>{JSON.stringify(rule.route)}</code>
                </td>
              </tr>
            ))}
            <tr>
              <td>default</td>
              <td class="muted">no rule matched</td>
              <td>
                <code>{JSON.stringify(config.default)}</code>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
