import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createAdminApi } from "./admin-api.js";
import { createStripeApi } from "./api.js";
import { type BalanceDiscrepancies, NO_BALANCE_DISCREPANCIES } from "./balance-report.js";
import { DEV_SECRET_KEY } from "./config.js";
import { type FaultState, noFault } from "./faults.js";
import { IdempotencyKeys } from "./idempotency.js";
import { Ledger } from "./ledger.js";
import { PaymentIntents } from "./payment-intents.js";
import { Refunds } from "./refunds.js";
import { Webhooks, type WebhookTarget } from "./webhooks.js";
import { WireServer } from "./wire-server.js";

export interface AggregatorOptions {
  port: number;
  adminPort: number;
  dataDir: string | null;
  /** The key callers present (default: the development stack's `sk_test_` key). */
  secretKey?: string;
  /** Where events go, signed with its `whsec_` secret; null sends none. */
  webhook?: WebhookTarget | null;
  /** Waits between webhook attempts (tests shorten them). */
  webhookRetryMs?: readonly number[];
  latencyMs?: number;
  /** The bearer token its balance reports are pulled with (`GET /reports/balance/{day}`); unset: none published. */
  reportToken?: string | null;
}

export interface RunningAggregator {
  port: number;
  /** The API's base URL, for `new Stripe(key, { host, port, protocol: "http" })`. */
  url: string;
  adminUrl: string;
  ledger: Ledger;
  webhooks: Webhooks;
  stop(): Promise<void>;
}

/** Starts the Stripe-style aggregator simulator: its API and, on its own port, its admin API. */
export async function startAggregatorSimulator(options: AggregatorOptions): Promise<RunningAggregator> {
  const secretKey = options.secretKey ?? DEV_SECRET_KEY;
  const livemode = secretKey.startsWith("sk_live_");
  const ledger = new Ledger(options.dataDir ? join(options.dataDir, "aggregator-ledger.ndjson") : null);
  const webhooks = new Webhooks(options.webhook ?? null, livemode, options.webhookRetryMs);
  // The secret key also keys the card fingerprints: stable across restarts, unknown to outsiders.
  const deps = { ledger, events: webhooks, livemode, fingerprintKey: secretKey, now: () => new Date() };
  const api = createStripeApi({
    secretKey,
    intents: new PaymentIntents(deps),
    refunds: new Refunds(deps),
    idempotencyKeys: new IdempotencyKeys(),
  });
  let faults: FaultState = noFault();
  const wire = new WireServer(api.fetch, () => faults, options.port);
  wire.latencyMs = options.latencyMs ?? 0;
  const port = await wire.listen();
  let discrepancies: BalanceDiscrepancies = NO_BALANCE_DISCREPANCIES;
  const admin = createAdminApi({
    ledger,
    reportToken: options.reportToken ?? null,
    discrepancies: {
      get: () => discrepancies,
      set: (next) => {
        discrepancies = next;
      },
    },
    wire,
    webhooks,
    faults: {
      get: () => faults,
      set: (state) => {
        faults = state;
      },
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: admin.fetch, hostname: "127.0.0.1", port: options.adminPort }, () =>
      resolve(started),
    );
  });
  const address = server.address();
  const adminPort = typeof address === "object" && address ? address.port : options.adminPort;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    ledger,
    webhooks,
    async stop() {
      webhooks.stop();
      await wire.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
