/** The processors whose clearing files the gateway pulls: the ISO 8583 acquirers (one layout). */
export const RECONCILABLE_PROCESSORS = ["acquirer_a", "acquirer_b"] as const;
export type ReconcilableProcessor = (typeof RECONCILABLE_PROCESSORS)[number];

/** Where a processor publishes its files for one mode, and the credential to pull them with. */
export interface ReportSource {
  /** The drop's base: the day's file is `{url}/{YYYY-MM-DD}`. */
  url: string;
  token: string;
}

/** The vars and secrets naming each drop (wrangler.toml, reconciliation-env.d.ts). */
const SOURCES = {
  acquirer_a: {
    test: ["RECON_ACQUIRER_A_URL", "RECON_ACQUIRER_A_TOKEN"],
    live: ["LIVE_RECON_ACQUIRER_A_URL", "LIVE_RECON_ACQUIRER_A_TOKEN"],
  },
  acquirer_b: {
    test: ["RECON_ACQUIRER_B_URL", "RECON_ACQUIRER_B_TOKEN"],
    live: ["LIVE_RECON_ACQUIRER_B_URL", "LIVE_RECON_ACQUIRER_B_TOKEN"],
  },
} as const satisfies Record<
  ReconcilableProcessor,
  { test: readonly [string, string]; live: readonly [string, string] }
>;

type SourceName = (typeof SOURCES)[ReconcilableProcessor][keyof (typeof SOURCES)[ReconcilableProcessor]][number];

/**
 * The processor's drop in that mode, or null when the deployment has not configured one. Each
 * mode reaches its own processors' drops (DESIGN invariant 6: test mode only simulators).
 */
export function reportSource(
  env: Partial<Record<SourceName, string>>,
  processor: ReconcilableProcessor,
  livemode: boolean,
): ReportSource | null {
  const [urlName, tokenName] = SOURCES[processor][livemode ? "live" : "test"];
  const url = env[urlName];
  const token = env[tokenName];
  if (typeof url !== "string" || url === "" || typeof token !== "string" || token === "") return null;
  return { url: url.replace(/\/+$/, ""), token };
}
