import { PROCESSOR_IDS, type ProcessorId } from "../../common/processor-registry.js";

/** The processors whose daily files the gateway pulls: all of them (report-layouts.ts reads each one's layout). */
export const RECONCILABLE_PROCESSORS = PROCESSOR_IDS;
export type ReconcilableProcessor = ProcessorId;

/** Where a processor publishes its files for one mode, and the credential to pull them with. */
export interface ReportSource {
  /** The drop's base: the day's file is `{url}/{YYYY-MM-DD}`. */
  url: string;
  token: string;
  /** How long the file may stop arriving before the pull gives up (report-pull.ts; 30 s unless set). */
  idleTimeoutMs?: number;
}

const names = <P extends string>(processor: P) =>
  ({
    test: [`RECON_${processor}_URL`, `RECON_${processor}_TOKEN`],
    live: [`LIVE_RECON_${processor}_URL`, `LIVE_RECON_${processor}_TOKEN`],
  }) as const;

/** The vars and secrets naming each drop (wrangler.toml, reconciliation-env.d.ts). */
const SOURCES = {
  acquirer_a: names("ACQUIRER_A"),
  acquirer_b: names("ACQUIRER_B"),
  aggregator: names("AGGREGATOR"),
  upi_switch: names("UPI_SWITCH"),
  paypal: names("PAYPAL"),
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
