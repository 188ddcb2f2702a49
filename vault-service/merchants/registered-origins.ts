/**
 * The origins active merchants registered for tokenization, as a CORS preflight needs them: it
 * carries no credentials, so strangers can send any number, with any origin. One query loads
 * them all, reused for `maxAgeMs`; an origin not in the set reloads it only when the set is older
 * than `missRefreshMs`, so a merchant's new origin works within about a second while a flood of
 * made-up origins costs at most one query per `missRefreshMs` (issue 12, item 11). An origin a
 * merchant removes may still pass preflights for `maxAgeMs`, never the request itself, which is
 * checked against the caller's own merchant after authentication.
 */
export class RegisteredOrigins {
  #set: Promise<ReadonlySet<string>> | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly load: () => Promise<ReadonlySet<string>>,
    private readonly maxAgeMs = 30_000,
    private readonly missRefreshMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  async has(origin: string): Promise<boolean> {
    if ((await this.#fresherThan(this.maxAgeMs)).has(origin)) return true;
    return (await this.#fresherThan(this.missRefreshMs)).has(origin);
  }

  /** The set, reloaded first if it is older than `ageMs`; one load at a time, shared. */
  #fresherThan(ageMs: number): Promise<ReadonlySet<string>> {
    if (this.#set && this.now() - this.#loadedAt <= ageMs) return this.#set;
    const loading = this.load();
    this.#set = loading;
    this.#loadedAt = this.now();
    loading.catch(() => {
      if (this.#set === loading) this.#set = undefined; // not kept: the next preflight tries again
    });
    return loading;
  }
}
