import type { CardProcessorId } from "../../common/processor-registry.js";
import { LEGACY_PROCESSORS } from "../../common/vault-internal-api.js";
import { legacyReference } from "../connectors/card-network/acquirer-connector.js";

export type LegacyProcessor = (typeof LEGACY_PROCESSORS)[number];

function isLegacy(processor: string): processor is LegacyProcessor {
  return (LEGACY_PROCESSORS as readonly string[]).includes(processor);
}

/**
 * A processor and its references as today's connectors name them. Before processors were
 * configuration a payment (and the journal) recorded its card network as its processor, with a
 * reference that names no network: it was acquirer A's link for that network. Anything else is
 * already a processor id, and passes unchanged.
 */
export function currentProcessor<T extends { processor: CardProcessorId | LegacyProcessor }>(
  target: T,
  references: { [K in keyof T]?: true },
): Omit<T, "processor"> & { processor: CardProcessorId } {
  const { processor } = target;
  if (!isLegacy(processor)) return target as Omit<T, "processor"> & { processor: CardProcessorId };
  const rewritten: Record<string, unknown> = { ...target, processor: "acquirer_a" };
  for (const key of Object.keys(references)) {
    const value = rewritten[key];
    if (typeof value === "string") rewritten[key] = legacyReference(processor, value);
  }
  return rewritten as Omit<T, "processor"> & { processor: CardProcessorId };
}
