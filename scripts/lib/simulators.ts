import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Service, startService, waitUntilHealthy } from "./child-process.js";
import type { DevTls } from "./dev-tls.js";
import { PROJECT_ROOT, type StartConfig } from "./start-config.js";
import type { UpiDevKeys } from "./upi-dev-keys.js";

/**
 * The processor simulators `npm start` runs: real servers speaking their processors' wire formats
 * (ISO 8583 over TCP or TLS, Stripe-style HTTP), each with its own books, log and admin API.
 */
export interface SimulatorContext {
  config: StartConfig;
  /** Where acquirers send chargeback advices (the vault's network API), and the secret they sign with. */
  vault: string;
  notifySecret: string;
  tls: DevTls;
  /** Called with each started process, so the stack stops it (and dies with it). */
  started(service: Service): void;
}

export interface AcquirerSpec {
  /** Its data directory under DATA_DIR and its log file's name. */
  dir: "acquirer" | "acquirer-b" | "acquirer-live";
  /** Its processor id (common/processor-registry.ts), on its health and its books. */
  name: "acquirer_a" | "acquirer_b";
  isoPort: number;
  adminPort: number;
  withTls: boolean;
  bins?: string | undefined;
  /** The bearer token its clearing files are pulled with (`GET /reports/clearing/{day}`). */
  reportToken: string;
}

/** An ISO 8583 acquirer simulator (simulators/acquirer), healthy before it returns. */
export async function startAcquirer(context: SimulatorContext, spec: AcquirerSpec) {
  const { config, tls } = context;
  mkdirSync(join(config.DATA_DIR, spec.dir), { recursive: true });
  // Coverage is each simulator's own: one given to npm start's environment reaches none of them.
  const { ACQUIRER_BINS: _inherited, ...inherited } = process.env;
  const service = startService({
    name: spec.dir,
    command: process.execPath,
    args: ["--import", "tsx", "simulators/acquirer/main.ts"],
    env: {
      ...inherited,
      ACQUIRER_NAME: spec.name,
      ...(spec.bins ? { ACQUIRER_BINS: spec.bins } : {}),
      ACQUIRER_ISO_PORT: String(spec.isoPort),
      ACQUIRER_ADMIN_PORT: String(spec.adminPort),
      ACQUIRER_REPORT_TOKEN: spec.reportToken,
      ACQUIRER_DATA_DIR: join(config.DATA_DIR, spec.dir),
      CHARGEBACK_NOTIFY_URL: `${context.vault}/network/v1/chargebacks`,
      ACQUIRER_NOTIFY_SECRET: context.notifySecret,
      ...(spec.withTls ? { ACQUIRER_TLS_CERT_FILE: tls.certFile, ACQUIRER_TLS_KEY_FILE: tls.keyFile } : {}),
    },
    cwd: PROJECT_ROOT,
    logFile: join(config.DATA_DIR, "logs", `${spec.dir}.log`),
    echo: config.GATEWAY_ECHO_LOGS,
  });
  context.started(service);
  const admin = `http://127.0.0.1:${spec.adminPort}`;
  await waitUntilHealthy(`${admin}/health`, service, 30_000);
  return { iso: `127.0.0.1:${spec.isoPort}`, admin };
}

/**
 * The card aggregator simulator (simulators/aggregator), speaking Stripe's API. Its webhooks stay
 * off until the vault has an intake for them.
 */
export async function startAggregator(context: SimulatorContext, spec: { reportToken?: string } = {}) {
  const { config } = context;
  mkdirSync(join(config.DATA_DIR, "aggregator"), { recursive: true });
  const service = startService({
    name: "aggregator",
    command: process.execPath,
    args: ["--import", "tsx", "simulators/aggregator/main.ts"],
    env: {
      ...process.env,
      AGGREGATOR_PORT: String(config.AGGREGATOR_PORT),
      AGGREGATOR_ADMIN_PORT: String(config.AGGREGATOR_ADMIN_PORT),
      AGGREGATOR_DATA_DIR: join(config.DATA_DIR, "aggregator"),
      AGGREGATOR_SECRET_KEY: config.AGGREGATOR_SECRET_KEY,
      AGGREGATOR_WEBHOOK_SECRET: config.AGGREGATOR_WEBHOOK_SECRET,
      ...(spec.reportToken ? { AGGREGATOR_REPORT_TOKEN: spec.reportToken } : {}),
    },
    cwd: PROJECT_ROOT,
    logFile: join(config.DATA_DIR, "logs", "aggregator.log"),
    echo: config.GATEWAY_ECHO_LOGS,
  });
  context.started(service);
  const admin = `http://127.0.0.1:${config.AGGREGATOR_ADMIN_PORT}`;
  await waitUntilHealthy(`${admin}/health`, service, 30_000);
  return { url: `http://127.0.0.1:${config.AGGREGATOR_PORT}`, admin };
}

export interface UpiSwitchSpec {
  port: number;
  adminPort: number;
  keys: UpiDevKeys;
  /** The gateway's callback base: RespPay goes to `{callbackUrl}/RespPay/2.0/urn:txnid:{id}`. */
  callbackUrl: string;
  /** Timers and limits for tests (UPI_PAYER_DELAY_MS, UPI_MAX_REQUEST_AGE_MS, ...: simulators/upi-switch/config.ts). */
  extraEnv?: Record<string, string>;
}

/**
 * The NPCI-style UPI switch simulator (simulators/upi-switch), speaking signed XML over HTTP,
 * with its payer page on the API port. Healthy before it returns.
 */
export async function startUpiSwitch(context: SimulatorContext, spec: UpiSwitchSpec) {
  const { config } = context;
  mkdirSync(join(config.DATA_DIR, "upi-switch"), { recursive: true });
  const service = startService({
    name: "upi-switch",
    command: process.execPath,
    args: ["--import", "tsx", "simulators/upi-switch/main.ts"],
    env: {
      ...process.env,
      UPI_SWITCH_PORT: String(spec.port),
      UPI_SWITCH_ADMIN_PORT: String(spec.adminPort),
      UPI_SWITCH_DATA_DIR: join(config.DATA_DIR, "upi-switch"),
      UPI_SWITCH_SIGNING_KEY: spec.keys.switchSigningKey,
      UPI_PSP_JWKS: spec.keys.pspJwks,
      UPI_PSP_CALLBACK_URL: spec.callbackUrl,
      ...spec.extraEnv,
    },
    cwd: PROJECT_ROOT,
    logFile: join(config.DATA_DIR, "logs", "upi-switch.log"),
    echo: config.GATEWAY_ECHO_LOGS,
  });
  context.started(service);
  const admin = `http://127.0.0.1:${spec.adminPort}`;
  await waitUntilHealthy(`${admin}/health`, service, 30_000);
  const url = `http://127.0.0.1:${spec.port}`;
  return { url, admin, payer: `${url}/payer` };
}

export interface WalletSpec {
  port: number;
  adminPort: number;
  /** Where the wallet's webhooks go (the gateway's intake); unset: none are sent. */
  webhookUrl?: string;
  /** Timers for tests (WALLET_ORDER_EXPIRY_MS, WALLET_PENDING_CAPTURE_MS, ...: simulators/wallet/config.ts). */
  extraEnv?: Record<string, string>;
}

/**
 * The PayPal-style wallet simulator (simulators/wallet), speaking PayPal's REST API with its
 * approval page on the API port. Its client id, secret and webhook id are the fixed development
 * ones (DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_WEBHOOK_ID) unless `extraEnv` says otherwise.
 * Healthy before it returns.
 */
export async function startWallet(context: SimulatorContext, spec: WalletSpec) {
  const { config } = context;
  mkdirSync(join(config.DATA_DIR, "wallet"), { recursive: true });
  // The webhook target is the stack's to give: one in npm start's own environment reaches no wallet.
  const { WALLET_WEBHOOK_URL: _inherited, ...inherited } = process.env;
  const service = startService({
    name: "wallet",
    command: process.execPath,
    args: ["--import", "tsx", "simulators/wallet/main.ts"],
    env: {
      ...inherited,
      WALLET_PORT: String(spec.port),
      WALLET_ADMIN_PORT: String(spec.adminPort),
      WALLET_DATA_DIR: join(config.DATA_DIR, "wallet"),
      ...(spec.webhookUrl ? { WALLET_WEBHOOK_URL: spec.webhookUrl } : {}),
      ...spec.extraEnv,
    },
    cwd: PROJECT_ROOT,
    logFile: join(config.DATA_DIR, "logs", "wallet.log"),
    echo: config.GATEWAY_ECHO_LOGS,
  });
  context.started(service);
  const admin = `http://127.0.0.1:${spec.adminPort}`;
  await waitUntilHealthy(`${admin}/health`, service, 30_000);
  const url = `http://127.0.0.1:${spec.port}`;
  return { url, admin };
}
