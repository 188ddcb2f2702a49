import { connect } from "node:net";
import { type OriginConnection, openOrigin } from "./origin-connection.js";
import { frontend, ReadyWatcher } from "./wire.js";

export interface PoolLimits {
  /** Origin sessions open at most, in use and idle together (Postgres' own limit is 100 here). */
  max: number;
  /** Idle sessions kept; more are closed when returned. */
  idleMax: number;
  /** An idle session older than this is closed. */
  idleMs: number;
  /** How long opening or resetting a session may take. */
  timeoutMs: number;
}

export interface PoolStats {
  open: number;
  idle: number;
  in_use: number;
  waiting: number;
  opened_total: number;
  reused_total: number;
  discarded_total: number;
}

interface Idle {
  origin: OriginConnection;
  since: number;
  /** Removes the idle session's listeners when it is taken. */
  detach: () => void;
}

interface Waiter {
  key: string;
  parameters: Map<string, string>;
  resolve: (origin: OriginConnection) => void;
  reject: (error: Error) => void;
}

/**
 * Origin sessions kept open between clients, as Hyperdrive keeps them (it pools connections to
 * the database near it, so a Worker's new `pg.Client` per request does not cost a Postgres
 * backend start each time). Keyed by the client's start-up parameters, so a session only goes to a
 * client that would have started it the same way. A session is reused only when its client left
 * it idle, outside a transaction, and `DISCARD ALL` then succeeded (temporary tables, prepared
 * statements, settings, advisory locks and LISTENs all gone): a client sees what a new session
 * would show it. Anything else closes it.
 */
export class OriginPool {
  private readonly idle = new Map<string, Idle[]>();
  /** Every open session, lent or idle, so `close` ends them all. */
  private readonly sessions = new Set<OriginConnection>();
  private readonly waiters: Waiter[] = [];
  private open = 0;
  private opening = 0;
  private readonly totals = { opened: 0, reused: 0, discarded: 0 };
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly limits: PoolLimits,
  ) {
    this.sweeper = setInterval(() => this.closeStale(), Math.max(1_000, limits.idleMs / 2)).unref();
  }

  stats(): PoolStats {
    const idle = [...this.idle.values()].reduce((sum, list) => sum + list.length, 0);
    return {
      open: this.open,
      idle,
      in_use: this.open - idle,
      waiting: this.waiters.length,
      opened_total: this.totals.opened,
      reused_total: this.totals.reused,
      discarded_total: this.totals.discarded,
    };
  }

  /** An idle session for these parameters, a new one, or the next one freed when at `max`. */
  acquire(parameters: Map<string, string>): Promise<OriginConnection> {
    const key = keyOf(parameters);
    const reused = this.takeIdle(key);
    if (reused) return Promise.resolve(reused);
    if (this.open + this.opening < this.limits.max) return this.openNew(parameters);
    // At the limit, an idle session of other parameters makes room.
    if (this.closeOneIdle()) return this.openNew(parameters);
    return new Promise((resolve, reject) => this.waiters.push({ key, parameters, resolve, reject }));
  }

  /**
   * A client is done with `origin`. `reusable` says it left between queries, idle; then the
   * session is reset and kept, else closed (a query still running is cancelled first).
   */
  release(origin: OriginConnection, reusable: boolean, parameters: Map<string, string>): void {
    if (!reusable) {
      this.cancel(origin);
      this.discard(origin);
      return;
    }
    void this.reset(origin).then(
      () => this.keep(origin, keyOf(parameters)),
      () => this.discard(origin),
    );
  }

  /** Closes every idle session (ops: "drop the pool"; a Postgres restart does it by itself). */
  drain(): number {
    let closed = 0;
    for (const list of this.idle.values()) {
      for (const entry of list.splice(0)) {
        entry.detach();
        this.discard(entry.origin);
        closed += 1;
      }
    }
    return closed;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.drain();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error("the pool is closing"));
    for (const origin of this.sessions) origin.socket.destroy();
  }

  private takeIdle(key: string): OriginConnection | null {
    const list = this.idle.get(key);
    const entry = list?.pop();
    if (!entry) return null;
    entry.detach();
    this.totals.reused += 1;
    return entry.origin;
  }

  private async openNew(parameters: Map<string, string>): Promise<OriginConnection> {
    this.opening += 1;
    try {
      const origin = await openOrigin(this.url, parameters, this.limits.timeoutMs);
      this.open += 1;
      this.totals.opened += 1;
      this.sessions.add(origin);
      origin.socket.once("close", () => this.onClosed(origin));
      return origin;
    } finally {
      this.opening -= 1;
    }
  }

  private onClosed(origin: OriginConnection): void {
    this.open -= 1;
    this.sessions.delete(origin);
    this.removeIdle(origin);
    this.serveWaiter();
  }

  /** A session freed or closed: the longest waiter gets an idle one of its kind, or a new one. */
  private serveWaiter(): void {
    const waiter = this.waiters[0];
    if (!waiter) return;
    const idle = this.takeIdle(waiter.key);
    if (idle) {
      this.waiters.shift();
      waiter.resolve(idle);
      return;
    }
    if (this.open + this.opening >= this.limits.max && !this.closeOneIdle()) return;
    this.waiters.shift();
    this.openNew(waiter.parameters).then(waiter.resolve, waiter.reject);
  }

  private keep(origin: OriginConnection, key: string): void {
    const list = this.idle.get(key) ?? [];
    if (list.length >= this.limits.idleMax || origin.socket.destroyed) {
      this.discard(origin);
      return;
    }
    // An idle session says nothing unless Postgres is ending it (a FATAL on shutdown or
    // `pg_terminate_backend`): anything it sends, or its closing, takes it out of the pool.
    const drop = () => {
      this.removeIdle(origin);
      this.discard(origin);
    };
    origin.socket.on("data", drop);
    origin.socket.on("error", drop);
    const detach = () => {
      origin.socket.off("data", drop);
      origin.socket.off("error", drop);
    };
    list.push({ origin, since: Date.now(), detach });
    this.idle.set(key, list);
    this.serveWaiter();
  }

  private removeIdle(origin: OriginConnection): void {
    for (const [key, list] of this.idle) {
      const index = list.findIndex((entry) => entry.origin === origin);
      if (index < 0) continue;
      list[index]?.detach();
      list.splice(index, 1);
      if (list.length === 0) this.idle.delete(key);
    }
  }

  private closeOneIdle(): boolean {
    for (const list of this.idle.values()) {
      const entry = list.shift();
      if (entry) {
        entry.detach();
        this.discard(entry.origin);
        return true;
      }
    }
    return false;
  }

  private closeStale(): void {
    const cutoff = Date.now() - this.limits.idleMs;
    for (const list of this.idle.values()) {
      for (const entry of list.filter((idle) => idle.since < cutoff)) {
        this.removeIdle(entry.origin);
        this.discard(entry.origin);
      }
    }
  }

  /** `DISCARD ALL`, answered by an idle ReadyForQuery with no error, within the timeout. */
  private reset(origin: OriginConnection): Promise<void> {
    return new Promise((resolve, reject) => {
      const watcher = new ReadyWatcher();
      const done = (error?: Error) => {
        clearTimeout(timer);
        origin.socket.off("data", onData);
        origin.socket.off("close", onClose);
        if (error) reject(error);
        else resolve();
      };
      const onData = (chunk: Buffer) => {
        watcher.feed(chunk);
        if (watcher.cycles === 0) return;
        if (watcher.status === "I" && !watcher.lastCycleFailed) done();
        else done(new Error("DISCARD ALL failed"));
      };
      const onClose = () => done(new Error("closed during reset"));
      const timer = setTimeout(() => done(new Error("reset timed out")), this.limits.timeoutMs);
      origin.socket.on("data", onData);
      origin.socket.once("close", onClose);
      origin.socket.write(frontend.query("DISCARD ALL"));
    });
  }

  /**
   * A client left mid-query: Postgres would run the statement to its end (it notices a closed
   * client only when it writes), so the pool asks it to stop, as a client's own cancel would.
   */
  private cancel(origin: OriginConnection): void {
    const address = new URL(this.url);
    const socket = connect(Number(address.port || 5432), address.hostname);
    socket.on("error", () => {});
    socket.end(frontend.cancelRequest(origin.processId, origin.secretKey));
  }

  private discard(origin: OriginConnection): void {
    this.totals.discarded += 1;
    origin.socket.destroy();
  }
}

/** Sessions started with the same parameters are interchangeable; the order they came in is not. */
function keyOf(parameters: Map<string, string>): string {
  return JSON.stringify([...parameters].sort(([a], [b]) => a.localeCompare(b)));
}
