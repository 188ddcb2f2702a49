import { join } from "node:path";
import { type Service, startService } from "./child-process.js";
import { PROJECT_ROOT, type StartConfig } from "./start-config.js";
import { wranglerEnv } from "./wrangler-env.js";

/**
 * The edge Worker as `npm start` runs it: `wrangler dev` (the default; reloads on edit), or with
 * `EDGE_RUNTIME=miniflare` the deploy bundle in Miniflare directly (scripts/edge-miniflare.ts).
 * Both get the same vars, secrets, Hyperdrive connection and persisted state directory layout.
 */
export function startEdgeService(
  config: StartConfig,
  wiring: {
    api: string;
    vault: string;
    databaseUrl: string;
    /** The edge's secrets, as wrangler dev's dotenv file and as Miniflare's JSON. */
    devVarsPath: string;
    secretsPath: string;
    vaultNotifyJwks: string;
    /** Test mode's UPI switch and its public keys (live mode has none locally). */
    upi: { switchUrl: string; switchJwks: string };
    /** Test mode's wallet: its API, REST app and webhook subscription (the secret is with the secrets). */
    wallet: { apiUrl: string; clientId: string; webhookId: string };
    /** Where each processor publishes its daily files, by the edge var naming it (the tokens are with the secrets). */
    clearingDrops: Record<`${"" | "LIVE_"}RECON_${string}_URL`, string>;
  },
): Service {
  const vars: Record<string, string> = {
    OAUTH_ISSUER: wiring.api,
    VAULT_URL: wiring.vault,
    VAULT_NOTIFY_JWKS: wiring.vaultNotifyJwks,
    BENCH_ROUTES: config.BENCH_ROUTES,
    CHAOS_ROUTES: config.CHAOS_ROUTES,
    WEBHOOK_LOCAL_RECEIVERS: config.WEBHOOK_LOCAL_RECEIVERS,
    UPI_SWITCH_URL: wiring.upi.switchUrl,
    UPI_SWITCH_JWKS: wiring.upi.switchJwks,
    UPI_REQUEST_FENCE_SECONDS: String(config.UPI_REQUEST_FENCE_SECONDS),
    WALLET_API_URL: wiring.wallet.apiUrl,
    WALLET_CLIENT_ID: wiring.wallet.clientId,
    WALLET_WEBHOOK_ID: wiring.wallet.webhookId,
    WALLET_APPROVAL_WINDOW_SECONDS: String(config.WALLET_ORDER_EXPIRY_SECONDS),
    WALLET_FIRST_STATUS_CHECK_SECONDS: String(config.WALLET_FIRST_STATUS_CHECK_SECONDS),
    WALLET_STATUS_CHECK_MAX_SECONDS: String(config.WALLET_STATUS_CHECK_MAX_SECONDS),
    ...wiring.clearingDrops,
    ...(config.UPI_FIRST_STATUS_CHECK_SECONDS
      ? { UPI_FIRST_STATUS_CHECK_SECONDS: String(config.UPI_FIRST_STATUS_CHECK_SECONDS) }
      : {}),
    ...(config.AUTHORIZATION_WINDOW_SECONDS
      ? { AUTHORIZATION_WINDOW_SECONDS: String(config.AUTHORIZATION_WINDOW_SECONDS) }
      : {}),
    ...(config.WEBHOOK_RETRY_SCHEDULE_SECONDS
      ? { WEBHOOK_RETRY_SCHEDULE_SECONDS: config.WEBHOOK_RETRY_SCHEDULE_SECONDS }
      : {}),
  };
  const env = {
    ...process.env,
    ...wranglerEnv(),
    CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: wiring.databaseUrl,
  };
  const common = {
    name: "api",
    command: process.execPath,
    cwd: PROJECT_ROOT,
    logFile: join(config.DATA_DIR, "logs", "api.log"),
    echo: config.GATEWAY_ECHO_LOGS,
  };
  if (config.EDGE_RUNTIME === "miniflare") {
    return startService({
      ...common,
      args: ["--import", "tsx", "scripts/edge-miniflare.ts"],
      env: {
        ...env,
        API_PORT: String(config.API_PORT),
        EDGE_PERSIST_DIR: join(config.DATA_DIR, "miniflare-state"),
        EDGE_BUNDLE_DIR: join(config.DATA_DIR, "edge-bundle"),
        EDGE_SECRETS_FILE: wiring.secretsPath,
        EDGE_VARS: JSON.stringify(vars),
        // DevTools (and bench/lib/cpu-profile.ts) attach here, as under `wrangler dev`.
        EDGE_INSPECTOR_PORT: String(config.INSPECTOR_PORT),
      },
    });
  }
  return startService({
    ...common,
    args: [
      "--import",
      join(PROJECT_ROOT, "scripts", "lib", "socket-no-delay.mjs"),
      join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js"),
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(config.API_PORT),
      "--inspector-port",
      String(config.INSPECTOR_PORT),
      "--persist-to",
      join(config.DATA_DIR, "wrangler-state"),
      "--env-file",
      wiring.devVarsPath,
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      "--show-interactive-dev-session=false",
    ],
    env,
  });
}
