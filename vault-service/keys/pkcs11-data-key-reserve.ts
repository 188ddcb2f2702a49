import { Worker } from "node:worker_threads";

export interface ReservedDataKey {
  version: string;
  plaintext: Uint8Array;
  wrapped: Uint8Array;
}

export interface DataKeyThreadOptions {
  library: string;
  tokenLabel: string;
  pin: string;
  labelPrefix: string;
}

type ThreadMessage =
  | { type: "keys"; id: number; version: string; keys: ReservedDataKey[]; error?: string }
  | { type: "closed"; id: number }
  | { type: "failed"; id: number; error: string };

const RETRY_AFTER_MS = 5_000;

/** One factory thread per process, started on first use (see pkcs11-data-key-thread.mjs). */
let thread: Worker | undefined;
let nextClientId = 1;
const listeners = new Map<number, (message: ThreadMessage) => void>();

function factoryThread(): Worker {
  if (thread) return thread;
  const started = new Worker(new URL("./pkcs11-data-key-thread.mjs", import.meta.url));
  started.on("message", (message: ThreadMessage) => listeners.get(message.id)?.(message));
  started.on("error", (error) => {
    thread = undefined; // the next request starts a new one
    for (const [id, listener] of listeners) listener({ type: "failed", id, error: String(error) });
  });
  started.unref(); // an idle factory never keeps the process alive
  thread = started;
  return started;
}

/**
 * Data keys made ahead of need by a thread of their own, so that tokenizing a card costs the
 * event loop no HSM call. An HSM call is slow next to everything else a tokenization does: about
 * 125 µs of blocking work through SoftHSM (which serializes its callers on one lock), a network
 * round trip through a real HSM. Made there, it overlaps the request work instead of adding to it.
 *
 * Each key is handed out once and belongs to one KEK version; when the current version changes
 * (a rotation), keys made under the old one are wiped rather than used. When the reserve is dry
 * (a burst, or the thread failed), `take` returns nothing and the caller makes the key itself.
 */
export class Pkcs11DataKeyReserve {
  private readonly ready: ReservedDataKey[] = [];
  private readonly id = nextClientId++;
  private requested = false;
  private failedAt = 0;
  private failure: string | undefined;
  private onClosed: (() => void) | undefined;

  constructor(
    private readonly token: DataKeyThreadOptions,
    private readonly size = 256,
  ) {
    listeners.set(this.id, (message) => {
      this.requested = false;
      if (message.type === "keys") {
        for (const key of message.keys) this.ready.push({ ...key, version: message.version });
      }
      this.failure = message.type === "closed" ? undefined : message.error;
      if (this.failure) this.failedAt = Date.now();
      if (message.type !== "keys") this.onClosed?.();
    });
  }

  /** A fresh data key under `version`, or undefined when none is ready. */
  take(version: string): ReservedDataKey | undefined {
    while (this.ready.length > 0 && this.ready[this.ready.length - 1]?.version !== version) {
      this.ready.pop()?.plaintext.fill(0);
    }
    const key = this.ready.pop();
    const retry = this.failure === undefined || Date.now() - this.failedAt > RETRY_AFTER_MS;
    if (!this.requested && retry && this.ready.length < this.size / 2) {
      this.requested = true;
      factoryThread().postMessage({
        type: "make",
        id: this.id,
        token: this.token,
        version,
        count: this.size - this.ready.length,
      });
    }
    return key;
  }

  /** Resolves once the thread has left the library for this token: the caller may finalize it. */
  async close(): Promise<void> {
    if (thread) {
      const closed = new Promise<void>((resolve) => {
        this.onClosed = resolve;
      });
      thread.postMessage({ type: "close", id: this.id });
      await closed;
    }
    listeners.delete(this.id);
    for (const key of this.ready.splice(0)) key.plaintext.fill(0);
  }
}
