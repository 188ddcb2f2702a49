import { type CardProcessorId, PROCESSOR_REGISTRY } from "../../common/processor-registry.js";
import type { CardBrand } from "../cards/card-brands.js";
import type { CardConnector } from "./card-connector.js";

/**
 * Where a card goes when the edge names no processor: acquirer A for the brands its network links
 * carry, the aggregator for the other brands it accepts (`common/processor-registry.ts`). The
 * edge's router decides otherwise per payment; this is the default only.
 */
const DEFAULT_ORDER: readonly CardProcessorId[] = ["acquirer_a", "aggregator"];

/** Whether a processor takes a card of this brand at all (its registry profile). */
export function acceptsBrand(processor: CardProcessorId, brand: CardBrand): boolean {
  return PROCESSOR_REGISTRY[processor].brands.includes(brand);
}

/** The default processor for a brand, whether or not this mode has a connector for it. */
export function defaultProcessorFor(brand: CardBrand): CardProcessorId | null {
  return DEFAULT_ORDER.find((processor) => acceptsBrand(processor, brand)) ?? null;
}

/**
 * One mode's connectors, by processor id: the ones configured in that mode. A processor without
 * one is answered `unavailable` before anything is journaled or sent.
 */
export class ConnectorRegistry {
  constructor(private readonly connectors: Readonly<Partial<Record<CardProcessorId, CardConnector>>>) {}

  get(processor: CardProcessorId): CardConnector | null {
    return this.connectors[processor] ?? null;
  }

  all(): CardConnector[] {
    return Object.values(this.connectors);
  }

  /** The longest one exchange can take on any link: what a journal lease must outlast. */
  worstExchangeMs(): number {
    return Math.max(0, ...this.all().map((connector) => connector.worstExchangeMs));
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((connector) => connector.close()));
  }
}
