import { type FaultState, faultApplies } from "./faults.js";

/**
 * The `decline_share` fault's draw: of every n authorizations since the fault was switched on,
 * floor(n * share) are declined, each the moment that count steps up (share 0.5 declines the 2nd,
 * 4th, 6th...). No randomness, so "acquirer A approves only half" is the same run after run, and
 * any window of the traffic sees the share within one payment.
 */
export class DeclineShare {
  private seen = 0;

  constructor(private readonly faults: () => FaultState) {}

  /** Called when the faults change: the count starts again, so each switch replays the same pattern. */
  restart(): void {
    this.seen = 0;
  }

  /** The field 39 code to decline this authorization with, or null to let the issuer decide. */
  next(mti: string): string | null {
    const state = this.faults();
    if (state.mode !== "decline_share" || !faultApplies(state, mti)) return null;
    // Integer steps of `seen * share`; the epsilon keeps 0.29 * 100 from landing on 28.999...
    const step = (n: number) => Math.floor(n * state.share + 1e-9);
    const before = step(this.seen);
    this.seen += 1;
    return step(this.seen) > before ? state.code : null;
  }
}
