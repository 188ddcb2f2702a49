/**
 * Remembers the `jti` of every edge token until the token expires and refuses a second use
 * (RFC 7519 §4.1.7). Tokens live at most a minute, so memory stays small. A restarted vault has
 * forgotten what it saw, so it also refuses any token issued before it started.
 */
export class JtiReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly startedAt = Math.floor(Date.now() / 1000);

  /** True the first time a (jti, exp) is presented, false on replay. */
  accept(jti: string, issuedAt: number, expiresAt: number, now = Math.floor(Date.now() / 1000)): boolean {
    this.sweep(now);
    if (issuedAt < this.startedAt - 1) return false;
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAt);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    for (const [jti, expiresAt] of this.seen) if (expiresAt < now - 5) this.seen.delete(jti);
  }
}
