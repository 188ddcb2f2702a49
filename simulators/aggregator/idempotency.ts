import { createHmac, randomBytes } from "node:crypto";

/** What an executed request answered, kept to be replayed. */
export interface StoredAnswer {
  status: number;
  body: string;
  requestId: string;
}

type Slot = { fingerprint: string; expires: number } & (
  | { state: "in_flight" }
  | { state: "done"; answer: StoredAnswer }
);

export type Claim =
  | { kind: "new" }
  | { kind: "replay"; answer: StoredAnswer }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

const DAY_MS = 86_400_000;

/**
 * Idempotency keys as Stripe keeps them (docs.stripe.com/api/idempotent_requests): the first
 * answer of a request that ran is replayed for 24 hours to a request with the same key and the
 * same parameters; the same key with other parameters, or while the first is still running, is
 * an error. Requests refused before they ran (bad parameters, a fault) keep nothing, so they can
 * be retried. In memory, at most `capacity` keys (the oldest go first). Of the parameters only an
 * HMAC under a key of this process is kept: they may hold a card number, and a plain hash of one
 * falls to a search.
 */
export class IdempotencyKeys {
  private readonly slots = new Map<string, Slot>();
  private readonly hmacKey = randomBytes(32);

  constructor(
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The parameters' fingerprint: method, path and the decoded form, keys sorted. */
  fingerprint(method: string, path: string, params: unknown): string {
    return createHmac("sha256", this.hmacKey)
      .update(`${method} ${path} ${JSON.stringify(params, sortedKeys)}`)
      .digest("hex");
  }

  claim(key: string, fingerprint: string): Claim {
    const slot = this.slots.get(key);
    if (slot && slot.expires > this.now()) {
      if (slot.fingerprint !== fingerprint) return { kind: "mismatch" };
      return slot.state === "done" ? { kind: "replay", answer: slot.answer } : { kind: "in_flight" };
    }
    this.slots.delete(key);
    this.slots.set(key, { fingerprint, expires: this.now() + DAY_MS, state: "in_flight" });
    while (this.slots.size > this.capacity) this.slots.delete(this.slots.keys().next().value as string);
    return { kind: "new" };
  }

  /** The claimed request ran: keep its answer. */
  keep(key: string, answer: StoredAnswer): void {
    const slot = this.slots.get(key);
    if (slot) this.slots.set(key, { fingerprint: slot.fingerprint, expires: slot.expires, state: "done", answer });
  }

  /** The claimed request was refused before it ran: forget the key. */
  release(key: string): void {
    this.slots.delete(key);
  }
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
