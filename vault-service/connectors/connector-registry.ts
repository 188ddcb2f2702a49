import type { Processor } from "../../common/vault-internal-api.js";
import type { CardBrand } from "../cards/card-brands.js";
import type { CardConnector } from "./card-connector.js";

/**
 * The card router: which processor takes a card, by its brand (from the BIN), and the connector
 * that speaks to it. Brands without a network link here are refused before anything is journaled
 * or sent (`card_not_supported`).
 */
const BRAND_ROUTES: Readonly<Record<CardBrand, Processor | null>> = {
  visa: "visa",
  mastercard: "mastercard",
  amex: null,
  discover: null,
  jcb: null,
  diners: null,
  unionpay: null,
  rupay: null,
};

export class ConnectorRegistry {
  constructor(private readonly connectors: Readonly<Record<Processor, CardConnector>>) {}

  processorFor(brand: CardBrand): Processor | null {
    return BRAND_ROUTES[brand];
  }

  get(processor: Processor): CardConnector {
    return this.connectors[processor];
  }

  /** The longest one exchange can take on any link: what a journal lease must outlast. */
  worstExchangeMs(): number {
    return Math.max(...Object.values(this.connectors).map((connector) => connector.worstExchangeMs));
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.connectors).map((connector) => connector.close()));
  }
}
