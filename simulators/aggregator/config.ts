import { z } from "zod";

/**
 * The development stack's secrets for the simulator. Fixed, so every checkout's stack agrees with
 * itself without a setup step; they guard nothing but simulated money, and are written nowhere but
 * `.data/dev.json`. Shaped unlike real keys on purpose, so secret scanners do not take them for one.
 */
export const DEV_SECRET_KEY = "sk_test_aggregator_simulator_dev_key";
export const DEV_WEBHOOK_SECRET = "whsec_aggregator_simulator_dev_secret";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The simulator's settings, from the environment (`npm start` sets them), parsed once here. */
export const aggregatorConfigSchema = z.object({
  AGGREGATOR_PORT: port(8591),
  AGGREGATOR_ADMIN_PORT: port(8592),
  AGGREGATOR_DATA_DIR: z.string().min(1).optional(),
  AGGREGATOR_LATENCY_MS: z.coerce.number().int().min(0).default(0),
  /** Callers authenticate with it; `sk_live_` makes the simulator answer as live mode (`livemode: true`). */
  AGGREGATOR_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_\S{16,}$/, "must be an sk_test_ or sk_live_ key")
    .default(DEV_SECRET_KEY),
  AGGREGATOR_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\S{16,}$/, "must be a whsec_ secret")
    .default(DEV_WEBHOOK_SECRET),
  /** The bearer token the gateway pulls the daily balance reports with; unset: none are published. */
  AGGREGATOR_REPORT_TOKEN: z.string().min(16).optional(),
  /** Where events are POSTed; none are sent without it. */
  AGGREGATOR_WEBHOOK_URL: z.string().url().optional(),
});

export type AggregatorConfig = z.output<typeof aggregatorConfigSchema>;
