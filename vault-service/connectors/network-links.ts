import type { ConnectorRegistry } from "./connector-registry.js";

/**
 * Why a live-mode operation is refused when this vault has no live links: answered `unavailable`
 * before anything is journaled or sent, never routed to test mode's links instead.
 */
export const NO_LIVE_LINK = "live mode has no network link configured";

/**
 * Each mode's own network links (DESIGN invariant 6: two worlds). Test mode's reach only
 * simulators; live mode's reach the card networks (or, outside production, a simulator standing
 * in for them), and may be absent. An operation uses its own mode's links, from its first
 * message to the resolver's last repeat: a journal row's `livemode` picks them, never a default.
 */
export class NetworkLinks {
  constructor(private readonly modes: { test: ConnectorRegistry; live: ConnectorRegistry | null }) {}

  /** The links of a payment's mode; null when that is live mode and it has none. */
  of(livemode: boolean): ConnectorRegistry | null {
    return livemode ? this.modes.live : this.modes.test;
  }

  /** The longest one exchange can take on any link of either mode: what a journal lease must outlast. */
  worstExchangeMs(): number {
    return Math.max(...this.registries().map((registry) => registry.worstExchangeMs()));
  }

  async close(): Promise<void> {
    await Promise.all(this.registries().map((registry) => registry.close()));
  }

  private registries(): ConnectorRegistry[] {
    return this.modes.live ? [this.modes.test, this.modes.live] : [this.modes.test];
  }
}
