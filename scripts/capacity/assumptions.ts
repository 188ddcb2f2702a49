/** A figure nobody publishes and this repository has not measured at scale: the model's guesses, named. */
export interface Assumption {
  value: number;
  why: string;
}

/**
 * Every number the model needs that is neither in the code nor on a platform's limits page.
 * Each can be changed from the command line (`--assume name=value`), and the report prints
 * the ones in force, so a reader can see how far a conclusion rests on a guess.
 */
export const ASSUMPTIONS = {
  topMerchantShare: {
    value: 0.05,
    why: "the largest merchant's share of all payments: its rate limit, its daily settlement file and cut",
  },
  topCardProcessorShare: {
    value: 0.5,
    why: "the busiest card processor's share of card attempts (routing spreads the rest over the others)",
  },
  webhookEndpoints: {
    value: 1,
    why: "enabled endpoints per merchant subscribed to every event (`*`); each event opens one delivery per endpoint",
  },
  webhookRetries: {
    value: 0,
    why: "failed attempts per delivery before one succeeds (0: every endpoint answers 2xx the first time)",
  },
  requestsPerIsolate: {
    value: 200,
    why: "requests/s one Worker isolate serves; Cloudflare publishes no isolate counts. Each isolate reads every processor's health once a second",
  },
  pgRoundTripMs: {
    value: 10,
    why: "one statement's round trip from a Worker through Hyperdrive's pool to Postgres (4-11 ms connect, 2-3 ms query locally: notes/toolchain.md)",
  },
  webhookEndpointMs: {
    value: 200,
    why: "a merchant endpoint's time to answer a delivery",
  },
  r2PutMs: {
    value: 50,
    why: "an R2 put from a Durable Object, SHA-256 checked, which the audit chain's single writer waits on under its lock",
  },
  postgresRowsPerSecond: {
    value: 100_000,
    why: "rows one Postgres primary sustains writing (multi-row statements, 2-4 indexes per table); hardware-dependent, to be measured by issue 17 item 6",
  },
  postgresUpdateRowsPerSecond: {
    value: 100_000,
    why: "rows one UPDATE statement moves per second (the settlement cut's, through the immutability trigger)",
  },
  vaultOperationsPerReplica: {
    value: 1_500,
    why: "authorize/capture/refund calls per second one 2-core vault replica serves (8 Postgres round trips each, no group commit); not measured",
  },
  vaultTokenizationsPerReplica: {
    value: 5_480,
    why: "measured: `npm run bench:vault` on 2 cores, software KEK (README, Benchmarks)",
  },
  chainEntryBytes: {
    value: 130,
    why: "SQLite bytes per remembered audit entry id: a 36-character id, sequence and time, its primary-key index and the sealed_ms index",
  },
} as const satisfies Record<string, Assumption>;

export type AssumptionName = keyof typeof ASSUMPTIONS;
export type Assumed = Record<AssumptionName, number>;

/** The assumptions' values, with any overrides applied (unknown names and non-numbers refused). */
export function assumed(overrides: Partial<Record<string, number>> = {}): Assumed {
  const values = Object.fromEntries(Object.entries(ASSUMPTIONS).map(([name, a]) => [name, a.value])) as Assumed;
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in ASSUMPTIONS))
      throw new Error(`unknown assumption '${name}' (known: ${Object.keys(ASSUMPTIONS).join(", ")})`);
    if (value === undefined || !Number.isFinite(value) || value < 0)
      throw new Error(`assumption '${name}' must be a number >= 0`);
    values[name as AssumptionName] = value;
  }
  return values;
}
