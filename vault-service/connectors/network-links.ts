import type { CardProcessorId } from "../../common/processor-registry.js";
import type { CardConnector } from "./card-connector.js";
import type { ConnectorRegistry } from "./connector-registry.js";

/**
 * Why an operation is refused when its processor has no connector in the payment's mode: answered
 * `unavailable` before anything is journaled or sent, never routed to the other mode's instead.
 */
export function notConfigured(processor: CardProcessorId, livemode: boolean): string {
  return `${processor} is not configured in ${livemode ? "live" : "test"} mode`;
}

/**
 * Each mode's own processor connectors (DESIGN invariant 6: two worlds). Test mode's reach only
 * simulators; live mode's reach the real processors (or, outside production, simulators standing
 * in for them), and any of them may be absent. An operation uses its own mode's connector, from
 * its first message to the resolver's last repeat: a journal row's `livemode` picks it, never a
 * default.
 */
export class NetworkLinks {
  constructor(private readonly modes: { test: ConnectorRegistry; live: ConnectorRegistry }) {}

  /** The connectors of a payment's mode. */
  of(livemode: boolean): ConnectorRegistry {
    return livemode ? this.modes.live : this.modes.test;
  }

  /** A processor's connector in a mode, or null when that mode has none for it. */
  connector(processor: CardProcessorId, livemode: boolean): CardConnector | null {
    return this.of(livemode).get(processor);
  }

  /** The longest one exchange can take on any link of either mode: what a journal lease must outlast. */
  worstExchangeMs(): number {
    return Math.max(this.modes.test.worstExchangeMs(), this.modes.live.worstExchangeMs());
  }

  async close(): Promise<void> {
    await Promise.all([this.modes.test.close(), this.modes.live.close()]);
  }
}
