/**
 * `npm start`: the whole stack on this machine, with no system Postgres and no cloud account.
 * Postgres (embedded, unless DATABASE_URL) -> migrations -> demo merchant (keys of both modes) ->
 * three acquirer simulators (test mode's acquirers A and B, and live mode's stand-in for the real
 * network) and the Stripe-style aggregator simulator ->
 * vault-service -> `wrangler dev` (local mode, Hyperdrive pointed at that Postgres) -> `.data/dev.json`.
 * The vault runs supervised (restarted when it dies); a stack admin API on loopback pauses,
 * kills and restarts it and stops Postgres, for fault campaigns (`npm run chaos`).
 * Ctrl-C stops everything in the reverse order.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerType } from "@hono/node-server";
import exitHook from "async-exit-hook";
import { applyMigrations } from "../db/migrate.js";
import {
  DEV_CLIENT_ID as WALLET_DEV_CLIENT_ID,
  DEV_CLIENT_SECRET as WALLET_DEV_CLIENT_SECRET,
  DEV_WEBHOOK_ID as WALLET_DEV_WEBHOOK_ID,
} from "../simulators/wallet/config.js";
import { type Service, startService, waitUntilHealthy } from "./lib/child-process.js";
import { edgeTokenJwks, loadOrCreateDevSecrets, toDotenv } from "./lib/dev-secrets.js";
import { loadOrCreateDevTls } from "./lib/dev-tls.js";
import { startEdgeService } from "./lib/edge-service.js";
import { type RunningPostgres, startEmbeddedPostgres } from "./lib/embedded-postgres.js";
import { isPortFree } from "./lib/free-port.js";
import { type RunningHyperdrivePool, startHyperdrivePool } from "./lib/hyperdrive-pool/pool-server.js";
import { acquireInstanceLock, type LockHolder, updateLock } from "./lib/instance-lock.js";
import { type DemoCredentials, seedDemo } from "./lib/seed-demo.js";
import {
  type SimulatorContext,
  startAcquirer,
  startAggregator,
  startUpiSwitch,
  startWallet,
} from "./lib/simulators.js";
import { startStackAdmin } from "./lib/stack-admin.js";
import { loadStartConfig, PROJECT_ROOT } from "./lib/start-config.js";
import { superviseService } from "./lib/supervised-service.js";
import { loadOrCreateUpiDevKeys } from "./lib/upi-dev-keys.js";
import { loadOrCreateVaultDevSecrets, vaultNotifyJwks } from "./lib/vault-dev-secrets.js";

// embedded-postgres installs async-exit-hook's signal handlers on import; we stop things
// ourselves, in order (API, vault, then the database they use), so take the signals back.
for (const event of ["SIGINT", "SIGTERM", "SIGHUP"]) exitHook.unhookEvent(event);

const config = loadStartConfig();
const say = (line: string) => process.stdout.write(`[start] ${line}\n`);

mkdirSync(join(config.DATA_DIR, "logs"), { recursive: true });
// As root, Postgres runs as the `postgres` user, which must be able to reach its data directory.
if (process.getuid?.() === 0) chmodSync(config.DATA_DIR, 0o755);

const lockPath = join(config.DATA_DIR, "start.lock");
function refuseSecondStart(holder: LockHolder): never {
  const where = holder.api ? ` at ${holder.api}` : "";
  process.stderr.write(
    `The gateway is already running (pid ${holder.pid})${where}. Stop it first (Ctrl-C in its terminal).\n`,
  );
  process.exit(1);
}
const acquired = acquireInstanceLock(lockPath, { pid: process.pid });
const lock = "heldBy" in acquired ? refuseSecondStart(acquired.heldBy) : acquired;

/** In start order, stopped in reverse; the supervised vault is one of them. */
const services: Pick<Service, "name" | "stop">[] = [];
/** The ones whose death takes the stack down (all but the vault, which is restarted). */
const unsupervised: Service[] = [];
let postgres: RunningPostgres | undefined;
let hyperdrive: RunningHyperdrivePool | undefined;
let admin: ServerType | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say("stopping...");
    admin?.close();
    for (const service of [...services].reverse()) await service.stop();
    await hyperdrive?.close().catch(() => {});
    await postgres?.stop().catch(() => {});
    lock.release();
    say("stopped");
  }
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => void shutdown(0));

async function main(): Promise<void> {
  const ports = {
    API_PORT: config.API_PORT,
    VAULT_PORT: config.VAULT_PORT,
    INSPECTOR_PORT: config.INSPECTOR_PORT,
    ACQUIRER_ISO_PORT: config.ACQUIRER_ISO_PORT,
    ACQUIRER_ADMIN_PORT: config.ACQUIRER_ADMIN_PORT,
    ACQUIRER_B_ISO_PORT: config.ACQUIRER_B_ISO_PORT,
    ACQUIRER_B_ADMIN_PORT: config.ACQUIRER_B_ADMIN_PORT,
    LIVE_ACQUIRER_ISO_PORT: config.LIVE_ACQUIRER_ISO_PORT,
    LIVE_ACQUIRER_ADMIN_PORT: config.LIVE_ACQUIRER_ADMIN_PORT,
    AGGREGATOR_PORT: config.AGGREGATOR_PORT,
    AGGREGATOR_ADMIN_PORT: config.AGGREGATOR_ADMIN_PORT,
    UPI_SWITCH_PORT: config.UPI_SWITCH_PORT,
    UPI_SWITCH_ADMIN_PORT: config.UPI_SWITCH_ADMIN_PORT,
    WALLET_PORT: config.WALLET_PORT,
    WALLET_ADMIN_PORT: config.WALLET_ADMIN_PORT,
    MERCHANT_PORT: config.MERCHANT_PORT,
    STACK_ADMIN_PORT: config.STACK_ADMIN_PORT,
  };
  if (!config.DATABASE_URL) Object.assign(ports, { POSTGRES_PORT: config.POSTGRES_PORT });
  if (config.HYPERDRIVE_POOL === "on") Object.assign(ports, { HYPERDRIVE_PORT: config.HYPERDRIVE_PORT });
  for (const [name, port] of Object.entries(ports)) {
    if (!(await isPortFree(port)))
      throw new Error(`port ${port} is in use; choose another with ${name}=<port> npm start`);
  }

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    say(`starting embedded Postgres (data in ${join(config.DATA_DIR, "postgres")})`);
    const pgLog = join(config.DATA_DIR, "logs", "postgres.log");
    postgres = await startEmbeddedPostgres({
      dataDir: join(config.DATA_DIR, "postgres"),
      port: config.POSTGRES_PORT,
      onLog: (line) => writeFileSync(pgLog, line.endsWith("\n") ? line : `${line}\n`, { flag: "a" }),
    });
    databaseUrl = postgres.url;
  }

  say("applying migrations");
  await applyMigrations(databaseUrl);
  // The edge's Postgres: through local Hyperdrive's pool of kept sessions, as deployed.
  if (config.HYPERDRIVE_POOL === "on") hyperdrive = await startHyperdrivePool(databaseUrl, config.HYPERDRIVE_PORT);
  const edgeDatabaseUrl = hyperdrive?.url ?? databaseUrl;

  const secrets = await loadOrCreateDevSecrets(join(config.DATA_DIR, "secrets.json"));
  // The UPI switch's key pair and the gateway's (as a PSP registered with it), made once (issue 14).
  const upiKeys = await loadOrCreateUpiDevKeys(join(config.DATA_DIR, "upi-keys.json"));
  // The edge's secrets: the dev secrets, the key it signs its UPI requests with, and the wallet
  // simulator's client secret (a fixed development value, simulators/wallet/config.ts).
  // Each processor's report drop (the acquirers' clearing files, the aggregator's balance report,
  // the UPI switch's and the wallet's settlement files) has a bearer token of its own, made afresh
  // each start and given to it and to the edge (reconciliation pulls with it; issue 16).
  const reportTokens = {
    RECON_ACQUIRER_A_TOKEN: randomBytes(24).toString("base64url"),
    RECON_ACQUIRER_B_TOKEN: randomBytes(24).toString("base64url"),
    LIVE_RECON_ACQUIRER_A_TOKEN: randomBytes(24).toString("base64url"),
    RECON_AGGREGATOR_TOKEN: randomBytes(24).toString("base64url"),
    RECON_UPI_SWITCH_TOKEN: randomBytes(24).toString("base64url"),
    RECON_PAYPAL_TOKEN: randomBytes(24).toString("base64url"),
  };
  const edgeSecrets = {
    ...secrets,
    UPI_PSP_SIGNING_KEY: upiKeys.pspSigningKey,
    WALLET_CLIENT_SECRET: WALLET_DEV_CLIENT_SECRET,
    ...reportTokens,
  };
  const devVarsPath = join(config.DATA_DIR, "dev.vars");
  writeFileSync(devVarsPath, toDotenv(edgeSecrets), { mode: 0o600 });
  const edgeSecretsPath = join(config.DATA_DIR, "edge-secrets.json");
  writeFileSync(edgeSecretsPath, JSON.stringify(edgeSecrets), { mode: 0o600 });

  const devJsonPath = join(config.DATA_DIR, "dev.json");
  const previous = existsSync(devJsonPath)
    ? (JSON.parse(readFileSync(devJsonPath, "utf8")) as Partial<DemoCredentials>)
    : {};
  const merchantSite = `http://127.0.0.1:${config.MERCHANT_PORT}`;
  const demo = await seedDemo(databaseUrl, secrets.API_KEY_PEPPER, previous, [merchantSite]);

  const api = `http://127.0.0.1:${config.API_PORT}`;
  const vault = `http://127.0.0.1:${config.VAULT_PORT}`;
  const vaultSecrets = await loadOrCreateVaultDevSecrets(join(config.DATA_DIR, "vault-secrets.json"));

  // Simulators per mode (DESIGN invariant 6: test mode reaches only simulators): test mode has
  // two acquirers, A and B, to route and fail over between (issue 13); a third stands in for the
  // real network that live mode reaches in production (as acquirer A), so each mode's payments
  // land in books of their own. All send their chargeback advices to the vault.
  // The live stand-in speaks TLS, as live links must in production; test mode's speak plain TCP,
  // so the stack runs both. The certificate comes from a local CA made on first run (.data/tls).
  const tls = loadOrCreateDevTls(join(config.DATA_DIR, "tls"));
  const simulators: SimulatorContext = {
    config,
    vault,
    notifySecret: vaultSecrets.ACQUIRER_NOTIFY_SECRET,
    tls,
    started: (service) => {
      services.push(service);
      unsupervised.push(service);
    },
  };
  say(
    "starting the simulators: acquirers A and B (test, ISO 8583 over TCP), acquirer A's live stand-in (over TLS), the aggregator (Stripe-style HTTP), the UPI switch (NPCI-style XML), the wallet (PayPal-style HTTP)",
  );
  const [acquirer, acquirerB, liveAcquirer, aggregator, upiSwitch, wallet] = await Promise.all([
    startAcquirer(simulators, {
      dir: "acquirer",
      name: "acquirer_a",
      isoPort: config.ACQUIRER_ISO_PORT,
      adminPort: config.ACQUIRER_ADMIN_PORT,
      withTls: false,
      bins: config.ACQUIRER_A_BINS,
      reportToken: reportTokens.RECON_ACQUIRER_A_TOKEN,
    }),
    startAcquirer(simulators, {
      dir: "acquirer-b",
      name: "acquirer_b",
      isoPort: config.ACQUIRER_B_ISO_PORT,
      adminPort: config.ACQUIRER_B_ADMIN_PORT,
      withTls: false,
      bins: config.ACQUIRER_B_BINS,
      reportToken: reportTokens.RECON_ACQUIRER_B_TOKEN,
    }),
    startAcquirer(simulators, {
      dir: "acquirer-live",
      name: "acquirer_a",
      isoPort: config.LIVE_ACQUIRER_ISO_PORT,
      adminPort: config.LIVE_ACQUIRER_ADMIN_PORT,
      withTls: true,
      reportToken: reportTokens.LIVE_RECON_ACQUIRER_A_TOKEN,
    }),
    startAggregator(simulators, { reportToken: reportTokens.RECON_AGGREGATOR_TOKEN }),
    // Test mode's UPI switch; it calls back the edge at test mode's UPI callback URL.
    startUpiSwitch(simulators, {
      port: config.UPI_SWITCH_PORT,
      adminPort: config.UPI_SWITCH_ADMIN_PORT,
      keys: upiKeys,
      callbackUrl: `${api}/network/upi/test`,
      extraEnv: {
        UPI_MAX_REQUEST_AGE_MS: String(config.UPI_REQUEST_FENCE_SECONDS * 1000),
        UPI_SWITCH_REPORT_TOKEN: reportTokens.RECON_UPI_SWITCH_TOKEN,
      },
    }),
    // Test mode's PayPal-style wallet (issue 15); it sends its webhooks to test mode's intake.
    startWallet(simulators, {
      port: config.WALLET_PORT,
      adminPort: config.WALLET_ADMIN_PORT,
      webhookUrl: `${api}/network/wallet/test/webhooks`,
      extraEnv: {
        WALLET_ORDER_EXPIRY_MS: String(config.WALLET_ORDER_EXPIRY_SECONDS * 1000),
        WALLET_REPORT_TOKEN: reportTokens.RECON_PAYPAL_TOKEN,
        ...(config.WALLET_PENDING_CAPTURE_MS === undefined
          ? {}
          : { WALLET_PENDING_CAPTURE_MS: String(config.WALLET_PENDING_CAPTURE_MS) }),
      },
    }),
  ]);

  say("starting vault-service (supervised: restarted if it dies)");
  const launchVault = () =>
    startService({
      name: "vault",
      command: process.execPath,
      args: ["--import", "tsx", "vault-service/main.ts"],
      env: {
        ...process.env,
        VAULT_PORT: String(config.VAULT_PORT),
        DATABASE_URL: databaseUrl,
        API_KEY_PEPPER: secrets.API_KEY_PEPPER,
        ...vaultSecrets,
        EDGE_TOKEN_JWKS: edgeTokenJwks(secrets),
        EDGE_URL: api,
        // Test mode's processors (common/processor-registry.ts): the two acquirers and the aggregator.
        ACQUIRER_A: acquirer.iso,
        ACQUIRER_B: acquirerB.iso,
        AGGREGATOR_URL: aggregator.url,
        AGGREGATOR_SECRET_KEY: config.AGGREGATOR_SECRET_KEY,
        // Live mode's: acquirer A's stand-in only; a production vault refuses LIVE_NETWORK=simulator.
        LIVE_ACQUIRER_A: liveAcquirer.iso,
        LIVE_NETWORK: "simulator",
        LIVE_ACQUIRER_TLS_CA_FILE: tls.caFile,
        // The software key provider creates the KEK file (0600) on first run; VAULT_KEKS overrides it.
        ...(process.env.VAULT_KEKS ? {} : { VAULT_KEK_FILE: join(config.DATA_DIR, "vault-keks.json") }),
      },
      cwd: PROJECT_ROOT,
      logFile: join(config.DATA_DIR, "logs", "vault.log"),
      echo: config.GATEWAY_ECHO_LOGS,
    });
  const vaultService = superviseService({ name: "vault", launch: launchVault, healthUrl: `${vault}/health`, log: say });
  services.push(vaultService);
  await vaultService.healthy(30_000);

  say(
    config.EDGE_RUNTIME === "miniflare"
      ? "starting the edge Worker in Miniflare"
      : "starting wrangler dev (local mode)",
  );
  const wrangler = startEdgeService(config, {
    api,
    vault,
    databaseUrl: edgeDatabaseUrl,
    devVarsPath,
    secretsPath: edgeSecretsPath,
    vaultNotifyJwks: vaultNotifyJwks(vaultSecrets),
    upi: { switchUrl: upiSwitch.url, switchJwks: upiKeys.switchJwks },
    wallet: { apiUrl: wallet.url, clientId: WALLET_DEV_CLIENT_ID, webhookId: WALLET_DEV_WEBHOOK_ID },
    clearingDrops: {
      RECON_ACQUIRER_A_URL: `${acquirer.admin}/reports/clearing`,
      RECON_ACQUIRER_B_URL: `${acquirerB.admin}/reports/clearing`,
      LIVE_RECON_ACQUIRER_A_URL: `${liveAcquirer.admin}/reports/clearing`,
      RECON_AGGREGATOR_URL: `${aggregator.admin}/reports/balance`,
      RECON_UPI_SWITCH_URL: `${upiSwitch.admin}/reports/settlement`,
      RECON_PAYPAL_URL: `${wallet.admin}/reports/settlement`,
    },
  });
  services.push(wrangler);
  unsupervised.push(wrangler);
  await waitUntilHealthy(`${api}/health`, wrangler, 90_000);

  say("starting the demo merchant site");
  const site = startService({
    name: "merchant",
    command: process.execPath,
    args: ["--import", "tsx", "demo/main.ts"],
    env: {
      ...process.env,
      MERCHANT_PORT: String(config.MERCHANT_PORT),
      VAULT_URL: vault,
      API_URL: api,
      PUBLISHABLE_KEY: demo.publishable_key,
      // The demo's server creates wallet payments with the merchant's test secret key; the browser never sees it.
      SECRET_KEY: demo.secret_key,
      MERCHANT_SITE_URL: merchantSite,
    },
    cwd: PROJECT_ROOT,
    logFile: join(config.DATA_DIR, "logs", "merchant.log"),
    echo: config.GATEWAY_ECHO_LOGS,
  });
  services.push(site);
  unsupervised.push(site);
  await waitUntilHealthy(`${merchantSite}/health`, site, 30_000);

  const stackAdmin = `http://127.0.0.1:${config.STACK_ADMIN_PORT}`;
  const stackAdminToken = randomBytes(24).toString("base64url");
  admin = await startStackAdmin(config.STACK_ADMIN_PORT, {
    token: stackAdminToken,
    vault: vaultService,
    ...(postgres ? { postgres } : {}),
    ...(hyperdrive ? { hyperdrive } : {}),
    others: () =>
      unsupervised.map((service) => ({
        name: service.name,
        pid: service.child.pid,
        state: service.child.exitCode === null ? "running" : "exited",
      })),
    edgeChaos:
      config.CHAOS_ROUTES === "on" ? `${api}/v1/ops/chaos (ops token with chaos:write)` : "off (CHAOS_ROUTES=off)",
    log: say,
  });

  const devJson = {
    api,
    vault,
    database_url: databaseUrl,
    hyperdrive_url: edgeDatabaseUrl,
    ...demo,
    // `acquirer_admin` is test mode's acquirer A, as before live mode and acquirer B had their own.
    acquirer_admin: acquirer.admin,
    acquirer_iso: acquirer.iso,
    acquirer_a_admin: acquirer.admin,
    acquirer_a_iso: acquirer.iso,
    acquirer_b_admin: acquirerB.admin,
    acquirer_b_iso: acquirerB.iso,
    live_acquirer_admin: liveAcquirer.admin,
    live_acquirer_iso: liveAcquirer.iso,
    aggregator_url: aggregator.url,
    aggregator_admin: aggregator.admin,
    aggregator_secret_key: config.AGGREGATOR_SECRET_KEY,
    upi_switch_url: upiSwitch.url,
    upi_switch_admin: upiSwitch.admin,
    upi_payer: upiSwitch.payer,
    wallet_url: wallet.url,
    wallet_admin: wallet.admin,
    merchant_site: merchantSite,
    stack_admin: stackAdmin,
    stack_admin_token: stackAdminToken,
  };
  writeFileSync(devJsonPath, `${JSON.stringify(devJson, null, 2)}\n`, { mode: 0o600 });
  updateLock(lockPath, { pid: process.pid, api });

  // A service dying on its own takes the stack down rather than leaving half of it up; the
  // vault is the exception: its supervisor restarts it (it owes the network journaled work).
  for (const service of unsupervised) {
    void service.exited.then(() => {
      if (!stopping) {
        process.stderr.write(`[start] ${service.name} exited unexpectedly; see ${join(config.DATA_DIR, "logs")}\n`);
        void shutdown(1);
      }
    });
  }

  process.stdout.write(`
  Gateway is up.
    API                         ${api}
    Vault                       ${vault}   (pay.js: ${vault}/pay.js)
    Acquirer A (test)           ${acquirer.iso} (ISO 8583), admin ${acquirer.admin}
    Acquirer B (test)           ${acquirerB.iso} (ISO 8583), admin ${acquirerB.admin}
    Acquirer A (live stand-in)  ${liveAcquirer.iso} (ISO 8583 over TLS), admin ${liveAcquirer.admin}
    Aggregator (Stripe-style)   ${aggregator.url}, admin ${aggregator.admin}
    UPI switch (NPCI-style)     ${upiSwitch.url}, admin ${upiSwitch.admin}, payer app ${upiSwitch.payer}
    Wallet (PayPal-style)       ${wallet.url}, admin ${wallet.admin}
                                (each admin API has its own fault switches: PUT /faults, PUT /latency)
    Demo checkout               ${merchantSite}
    Stack admin                 ${stackAdmin}   (faults: vault pause/kill/restart, Postgres stop/start, Hyperdrive drain)
    Postgres                    ${databaseUrl.replace(/:[^:@/]+@/, ":****@")}
    Local Hyperdrive            ${hyperdrive ? `${hyperdrive.url.replace(/:[^:@/]+@/, ":****@")} (the edge's pool of Postgres sessions; stack admin GET/POST /hyperdrive)` : "off (HYPERDRIVE_POOL=off: the edge connects straight to Postgres)"}
    Merchant                    ${demo.merchant_id}
    Secret key                  ${demo.secret_key}   (test mode: pays at the test acquirers)
    Publishable key             ${demo.publishable_key}
    Live secret key             ${demo.live_secret_key}   (live mode: pays at the live stand-in)
    Live publishable key        ${demo.live_publishable_key}
    Ops client                  ${demo.ops_client_id} (secret in ${devJsonPath})
    Dashboard sign-in           ${api}/dashboard   ${demo.dashboard_email} / ${demo.dashboard_password}
                                (read-only: ${demo.dashboard_readonly_email} / ${demo.dashboard_readonly_password})

  Try:  curl ${api}/v1/merchant -u ${demo.secret_key}:
  Logs: ${join(config.DATA_DIR, "logs")}   Stop: Ctrl-C
  READY ${devJsonPath}
`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
