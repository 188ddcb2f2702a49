/** Node's setTimeout fires at once beyond this (2^31 - 1 ms, about 24.8 days): longer waits are taken in steps. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * The simulator's clockwork: run something at a time (an order's expiry, a pending capture's
 * completion). The books hold the times, so after a restart the engine schedules them again; each
 * task checks its own record when it fires, so a stale or doubled timer does no harm.
 */
export class WalletTimers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  at(when: string | number, run: () => void): void {
    if (this.stopped) return;
    const due = typeof when === "number" ? when : Date.parse(when);
    const wait = Math.max(0, due - Date.now());
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        // Timers may fire a millisecond before the wall clock reaches `due`, and long waits come in
        // steps: either way, wait out the rest.
        if (Date.now() < due) this.at(due, run);
        else run();
      },
      Math.min(wait, MAX_DELAY_MS),
    );
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
