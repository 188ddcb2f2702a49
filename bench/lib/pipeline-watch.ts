import pg from "pg";

/** The two queues' backlogs at one moment of a run. */
export interface BacklogSample {
  /** Seconds since the watch started. */
  at: number;
  /** Payments answered by the API whose captured state is not yet a row in Postgres (payment-events). */
  unprojected: number;
  /** Deliveries opened for the watched endpoints and not yet delivered (webhook-delivery). */
  undelivered: number;
}

/** A payment as the projection wrote it: when its object made the transition, when the row was seen. */
export interface Projected {
  transitionAt: number;
  seenAt: number;
}

const POLL_MS = 100;
const SAMPLE_MS = 1_000;

/**
 * Watches Postgres while payments are made: every 100 ms it looks up the payments answered but
 * not yet seen captured (primary-key lookups of the backlog only, so the watch costs the
 * database little), noting when each row appeared and the transition time the object stamped on
 * it (`updated_at`); every second it samples both backlogs. A lag is thus measured to within
 * the 100 ms poll (plus one query), on this machine's one clock (the Worker and this process).
 */
export class PipelineWatch {
  readonly projected = new Map<string, Projected>();
  readonly samples: BacklogSample[] = [];
  private readonly waiting = new Set<string>();
  private readonly client: pg.Client;
  private timers: NodeJS.Timeout[] = [];
  private polling: Promise<void> | undefined;
  private started = 0;

  constructor(
    databaseUrl: string,
    private readonly endpointIds: string[],
  ) {
    this.client = new pg.Client({ connectionString: databaseUrl });
    this.client.on("error", () => {});
  }

  async open(): Promise<void> {
    await this.client.connect();
  }

  async close(): Promise<void> {
    this.stop();
    await this.polling;
    await this.client.end();
  }

  /** Payments answered by the API, to be watched until projected. */
  expect(ids: string[]): void {
    for (const id of ids) if (!this.projected.has(id)) this.waiting.add(id);
  }

  get unprojected(): number {
    return this.waiting.size;
  }

  start(): void {
    this.started = performance.now();
    this.samples.length = 0;
    this.timers = [
      setInterval(() => {
        this.polling ??= this.poll().finally(() => (this.polling = undefined));
      }, POLL_MS),
      setInterval(() => void this.sample(), SAMPLE_MS),
    ];
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  async undelivered(): Promise<number> {
    const result = await this.client.query<{ count: string }>(
      "select count(*) from webhook_deliveries where endpoint_id = any($1) and status = 'pending'",
      [this.endpointIds],
    );
    return Number(result.rows[0]?.count ?? 0);
  }

  /** A merchant's payments in Postgres and its deliveries still pending: to wait for a drain. */
  async merchantProgress(merchantId: string): Promise<{ projected: number; undelivered: number }> {
    const result = await this.client.query<{ projected: string; undelivered: string }>(
      `select (select count(*) from payments where merchant_id = $1) as projected,
              (select count(*) from webhook_deliveries where merchant_id = $1 and status = 'pending') as undelivered`,
      [merchantId],
    );
    return { projected: Number(result.rows[0]?.projected ?? 0), undelivered: Number(result.rows[0]?.undelivered ?? 0) };
  }

  private async poll(): Promise<void> {
    if (this.waiting.size === 0) return;
    const result = await this.client.query<{ id: string; updated_at: Date }>(
      "select id, updated_at from payments where id = any($1) and status = 'captured'",
      [[...this.waiting]],
    );
    const seenAt = Date.now();
    for (const row of result.rows) {
      this.waiting.delete(row.id);
      this.projected.set(row.id, { transitionAt: row.updated_at.getTime(), seenAt });
    }
  }

  private async sample(): Promise<void> {
    const at = (performance.now() - this.started) / 1000;
    const unprojected = this.waiting.size;
    this.samples.push({ at, unprojected, undelivered: await this.undelivered() });
  }
}

/**
 * How fast a backlog grows over a run: the least-squares slope of the total backlog over the
 * second half of the samples, in items per second. A pipeline that keeps up holds a flat backlog
 * (what is in flight); one that falls behind adds its shortfall each second.
 */
export function backlogSlope(samples: BacklogSample[]): number {
  const tail = samples.slice(Math.floor(samples.length / 2));
  if (tail.length < 2) return 0;
  const xs = tail.map((sample) => sample.at);
  const ys = tail.map((sample) => sample.unprojected + sample.undelivered);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  const num = xs.reduce((sum, x, i) => sum + (x - mx) * ((ys[i] ?? 0) - my), 0);
  const den = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
