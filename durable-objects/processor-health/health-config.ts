/**
 * Every threshold of processor health in one object. Defaults suit a card processor at a few
 * payments a second; a quieter one is judged on fewer samples only by configuring it so
 * (`ProcessorHealthObject.configure`), never by lowering the defaults for all.
 */
export interface HealthConfig {
  /** The sliding window outcomes are judged over (a multiple of `bucketMs`). */
  windowMs: number;
  /** Its granularity: outcomes older than the window leave it one bucket at a time. */
  bucketMs: number;
  /** The breaker opens when technical failures reach this share of the window's judged outcomes... */
  openTechnicalRate: number;
  /** ...and the window holds at least this many (two failures out of three prove nothing). */
  openMinSamples: number;
  /** The first cool-down after the breaker opens; doubled on each re-open from half-open... */
  coolDownMs: number;
  /** ...up to this. */
  maxCoolDownMs: number;
  /** Attempts allowed at once while half-open. */
  halfOpenProbes: number;
  /** A probe never answered (its caller crashed) frees its slot after this. */
  probeLeaseMs: number;
  /** The score's prior: the authorization rate assumed before any sample (a Beta prior's mean)... */
  priorRate: number;
  /** ...weighted as this many samples, so a new processor starts near it rather than at 0 or 1. */
  priorWeight: number;
  /** A processor is demoted when its authorization rate falls below this... */
  demotionFloor: number;
  /** ...over at least this many judged outcomes. */
  demotionMinSamples: number;
}

export const DEFAULT_HEALTH_CONFIG: Readonly<HealthConfig> = {
  windowMs: 60_000,
  bucketMs: 5_000,
  openTechnicalRate: 0.5,
  openMinSamples: 10,
  coolDownMs: 10_000,
  maxCoolDownMs: 300_000,
  halfOpenProbes: 1,
  // Longer than any processor's authorization timeout plus the edge's call to the vault (25 s).
  probeLeaseMs: 30_000,
  priorRate: 0.9,
  priorWeight: 10,
  demotionFloor: 0.7,
  demotionMinSamples: 20,
};

const RATES = ["openTechnicalRate", "priorRate", "demotionFloor"] as const;

/** The defaults with `overrides` applied, or a RangeError naming the first value that makes no sense. */
export function healthConfig(overrides: Partial<HealthConfig> = {}): HealthConfig {
  const config = { ...DEFAULT_HEALTH_CONFIG, ...overrides };
  for (const [name, value] of Object.entries(config)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number`);
  }
  for (const name of RATES) if (config[name] > 1) throw new RangeError(`${name} must be between 0 and 1`);
  if (config.bucketMs <= 0 || config.windowMs <= 0 || config.windowMs % config.bucketMs !== 0) {
    throw new RangeError("windowMs must be a positive multiple of bucketMs");
  }
  if (config.halfOpenProbes < 1) throw new RangeError("halfOpenProbes must be at least 1");
  if (config.maxCoolDownMs < config.coolDownMs) throw new RangeError("maxCoolDownMs must be at least coolDownMs");
  return config;
}
