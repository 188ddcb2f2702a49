import { PROCESSOR_IDS, type ProcessorId } from "../../common/processor-registry.js";

/**
 * The processors a payment in `livemode` can reach. Test mode reaches every processor (each is a
 * simulator there, DESIGN invariant 6); live mode only those with a live link configured, named in
 * `PROCESSORS_LIVE` (comma-separated ids), so the router never picks a processor the vault has no
 * live connection to. An unknown id in the variable is ignored.
 */
export function processorsInMode(env: Pick<Env, "PROCESSORS_LIVE">, livemode: boolean): readonly ProcessorId[] {
  if (!livemode) return PROCESSOR_IDS;
  const named = (env.PROCESSORS_LIVE ?? "").split(",").map((id) => id.trim());
  return PROCESSOR_IDS.filter((processor) => named.includes(processor));
}
