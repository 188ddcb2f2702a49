/**
 * A small read-through cache for lookups strangers can trigger without credentials (a CORS
 * preflight, the card frame), so a flood of them costs memory, not a database query each. Answers
 * (null ones too) are kept `ttlMs`; one lookup per key is in flight at a time, and callers of the
 * same key share it. At `maxEntries` the oldest entry goes (insertion order), so memory is bounded.
 * A failed lookup is not kept: the next caller tries again.
 */
export class LookupCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly load: (key: string) => Promise<V>,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Promise<V> {
    const found = this.#entries.get(key);
    if (found && found.expiresAt > this.now()) return found.value;
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    const value = this.load(key);
    const entry = { value, expiresAt: this.now() + this.ttlMs };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
