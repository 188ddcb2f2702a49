import type { HealthConfig } from "./health-config.js";
import type { WindowTotals } from "./outcome-window.js";
import type { ProcessorHealthSnapshot } from "./processor-health.types.js";

type ScoreConfig = Pick<HealthConfig, "priorRate" | "priorWeight" | "demotionFloor" | "demotionMinSamples">;

/**
 * How well the processor authorizes, from the window. Hard declines are left out: the issuer
 * would have said the same through any processor. Technical failures and soft declines count
 * against it, since another route might have turned them into approvals.
 *
 * The score is the mean of a Beta posterior (additive smoothing): `priorWeight` imaginary samples
 * at `priorRate`, plus the window's. A new processor scores the prior, one approval does not make
 * it perfect, and the score moves to the observed rate as samples outnumber the prior. Demotion
 * reads the observed rate itself, but only over `demotionMinSamples`.
 */
export function scoreWindow(
  totals: WindowTotals,
  config: ScoreConfig,
): Pick<ProcessorHealthSnapshot, "score" | "authorizationRate" | "technicalRate" | "samples" | "demoted"> {
  const samples = totals.judged;
  const authorizationRate = samples > 0 ? totals.approved / samples : null;
  const weight = samples + config.priorWeight;
  return {
    score: weight > 0 ? (totals.approved + config.priorRate * config.priorWeight) / weight : config.priorRate,
    authorizationRate,
    technicalRate: samples > 0 ? totals.technical / samples : null,
    samples,
    demoted:
      authorizationRate !== null && samples >= config.demotionMinSamples && authorizationRate < config.demotionFloor,
  };
}
