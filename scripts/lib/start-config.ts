import { resolve } from "node:path";
import { z } from "zod";
import { DEV_SECRET_KEY, DEV_WEBHOOK_SECRET } from "../../simulators/aggregator/config.js";

export const PROJECT_ROOT = resolve(import.meta.dirname, "../..");

const binPrefixes = z
  .string()
  .regex(/^\d{1,11}(,\d{1,11})*$/, "comma-separated BIN prefixes of 1-11 digits")
  .optional();

/**
 * `npm start`'s settings, all from the environment (so tests and CI can run a second stack
 * beside a developer's): `API_PORT=9000 npm start`.
 */
const schema = z.object({
  API_PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  VAULT_PORT: z.coerce.number().int().min(1).max(65535).default(8788),
  POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  INSPECTOR_PORT: z.coerce.number().int().min(1).max(65535).default(9229),
  /** Test mode's acquirer A simulator (ISO 8583), and its admin API. */
  ACQUIRER_ISO_PORT: z.coerce.number().int().min(1).max(65535).default(8583),
  ACQUIRER_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8584),
  /** Test mode's acquirer B: the same simulator again, a second processor for routing and failover (issue 13). */
  ACQUIRER_B_ISO_PORT: z.coerce.number().int().min(1).max(65535).default(8593),
  ACQUIRER_B_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8594),
  /**
   * The BIN prefixes each test acquirer routes (comma-separated; unset: every card). A card outside
   * them is declined with 92 (no route), a soft decline the gateway may take elsewhere.
   */
  ACQUIRER_A_BINS: binPrefixes,
  ACQUIRER_B_BINS: binPrefixes,
  /**
   * Another acquirer simulator, standing in for the real card network behind live mode: live
   * payments go there and test payments to the ones above, so each mode's books can be read apart.
   */
  LIVE_ACQUIRER_ISO_PORT: z.coerce.number().int().min(1).max(65535).default(8585),
  LIVE_ACQUIRER_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8586),
  /** The Stripe-style card aggregator simulator (simulators/aggregator): its API and its admin API. */
  AGGREGATOR_PORT: z.coerce.number().int().min(1).max(65535).default(8591),
  AGGREGATOR_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8592),
  UPI_SWITCH_PORT: z.coerce.number().int().min(1).max(65535).default(8595),
  UPI_SWITCH_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8596),
  /** The PayPal-style wallet simulator (simulators/wallet): its API and approval page, and its admin API. */
  WALLET_PORT: z.coerce.number().int().min(1).max(65535).default(8597),
  WALLET_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8598),
  /**
   * How long a wallet order waits for its payer: the simulator forgets it then, and the gateway
   * stops waiting (PayPal's 3 hours).
   */
  WALLET_ORDER_EXPIRY_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(3 * 3600),
  /**
   * The gateway asks the wallet about a payment awaiting its payer this long after creation, then
   * doubling up to the max: short here, so a payment whose order was expired at the simulator's
   * admin API ends within seconds (production: 60 s and 15 minutes, wrangler.toml).
   */
  WALLET_FIRST_STATUS_CHECK_SECONDS: z.coerce.number().int().min(1).default(5),
  WALLET_STATUS_CHECK_MAX_SECONDS: z.coerce.number().int().min(1).default(15),
  /** How long pending@wallet.test's capture stays PENDING at the simulator. */
  WALLET_PENDING_CAPTURE_MS: z.coerce.number().int().min(0).optional(),
  /** NPCI's first UPI status check comes this long after initiation (90 s); tests shorten it. */
  UPI_FIRST_STATUS_CHECK_SECONDS: z.coerce.number().int().min(1).optional(),
  /**
   * The UPI switch refuses a request older than this (its fence), and the edge calls a request the
   * switch never saw "not sent" only after it: one setting for both sides (60 s).
   */
  UPI_REQUEST_FENCE_SECONDS: z.coerce.number().int().min(1).default(60),
  /** The key its callers present, and the secret its webhooks are signed with (fixed dev values by default). */
  AGGREGATOR_SECRET_KEY: z.string().startsWith("sk_test_").default(DEV_SECRET_KEY),
  AGGREGATOR_WEBHOOK_SECRET: z.string().startsWith("whsec_").default(DEV_WEBHOOK_SECRET),
  MERCHANT_PORT: z.coerce.number().int().min(1).max(65535).default(8790),
  /** The stack's own control panel for fault campaigns (scripts/lib/stack-admin.ts), loopback only. */
  STACK_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8589),
  /**
   * Local Hyperdrive (scripts/lib/hyperdrive-pool/): the edge reaches Postgres through a pool of
   * kept sessions, as the deployed Worker does through Hyperdrive. `off` connects straight to
   * Postgres, one backend started per request (Miniflare's own emulation), for comparison.
   */
  HYPERDRIVE_PORT: z.coerce.number().int().min(1).max(65535).default(54330),
  HYPERDRIVE_POOL: z.enum(["on", "off"]).default("on"),
  DATA_DIR: z.string().default(resolve(PROJECT_ROOT, ".data")),
  DATABASE_URL: z.string().url().optional(),
  /** How long a manual-capture authorization is held before the orchestrator voids it (default 7 days). */
  AUTHORIZATION_WINDOW_SECONDS: z.coerce.number().int().min(1).optional(),
  /** Waits between webhook attempts, comma-separated seconds (default in wrangler.toml: about 3 days). */
  WEBHOOK_RETRY_SCHEDULE_SECONDS: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
  /**
   * How the edge Worker runs: `wrangler` (default: `wrangler dev`, reloads on edit) or
   * `miniflare` (the deploy bundle in Miniflare directly, no dev proxy: what the benchmarks use).
   */
  EDGE_RUNTIME: z.enum(["wrangler", "miniflare"]).default("wrangler"),
  /** "on" adds the gateway benchmark's two routes (`/bench/plain`, `/bench/gateway`) to the edge. */
  BENCH_ROUTES: z.enum(["on", "off"]).default("off"),
  /**
   * "on" (the default of this development stack) mounts the edge's fault switches under
   * `/v1/ops/chaos/*` (ops token with `chaos:write`); wrangler.toml says "off" in every environment.
   */
  CHAOS_ROUTES: z.enum(["on", "off"]).default("on"),
  /**
   * "on" (the default of this development stack) lets webhook endpoints be `http` and on loopback
   * (127.0.0.0/8, ::1, localhost), for receivers on this machine; every other inside address stays
   * refused. wrangler.toml says "off" in every environment: there only public `https` URLs.
   */
  WEBHOOK_LOCAL_RECEIVERS: z.enum(["on", "off"]).default("off"),
  /** Echo the services' output to this terminal (their log files get it either way). */
  GATEWAY_ECHO_LOGS: z
    .enum(["0", "1"])
    .default("1")
    .transform((value) => value === "1"),
});

export type StartConfig = z.output<typeof schema>;

export function loadStartConfig(env: NodeJS.ProcessEnv = process.env): StartConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`npm start: bad setting\n  ${problems.join("\n  ")}`);
  }
  return { ...parsed.data, DATA_DIR: resolve(parsed.data.DATA_DIR) };
}
