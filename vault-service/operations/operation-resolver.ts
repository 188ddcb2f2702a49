import { BUDGETS, resolveBackoffMs } from "../../common/timeout-budgets.js";
import { type NetworkLinks, notConfigured } from "../connectors/network-links.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { describeError, log } from "../logging/logger.js";
import { currentProcessor } from "./legacy-processors.js";
import { claimDue, fenceIfExpired, type JournalRow, recordAnswer, retryLater } from "./operation-journal.js";
import { FENCED, pending, resolutionFor, unavailable } from "./operation-outcomes.js";
import { subjectOf } from "./operation-runner.js";
import { resolveStep } from "./resolution-steps.js";

export interface ResolverOptions {
  /** How often the journal is polled for due work. */
  pollMs?: number;
  /** Rows claimed per poll. */
  batch?: number;
}

/**
 * Works what the vault owes the card networks until every operation is definite: rows left
 * `unknown` by a lost answer, rows left `sent` by a vault that died mid-call, and rows left
 * `recorded` past their deadline (fenced: never sent). Everything it needs is in Postgres, so a
 * restarted vault resumes where the last one stopped; rows are claimed with a lease under
 * `FOR UPDATE SKIP LOCKED`, so several vault instances share the work without doing it twice
 * at once. Each row is worked on the links of its own mode (its `livemode`), never a default.
 */
export class OperationResolver {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failing = false;
  private readonly pollMs: number;
  private readonly batch: number;
  /** One attempt's longest wait: an inquiry and an action, then the journal write. */
  private readonly leaseMs: number;

  constructor(
    private readonly db: VaultDatabase,
    private readonly links: NetworkLinks,
    options: ResolverOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.batch = options.batch ?? 16;
    this.leaseMs = 2 * links.worstExchangeMs() + BUDGETS.vaultJournalMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the attempts in hand; their rows stay leased, then due again. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One poll: claims the due rows and works each once. Returns how many it claimed. */
  async tick(): Promise<number> {
    const rows = await claimDue(this.db, this.batch, this.leaseMs);
    await Promise.all(rows.map((row) => this.work(row)));
    return rows.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((claimed) => {
          if (this.failing) log("info", "operation resolver polls again");
          this.failing = false;
          this.schedule(claimed === this.batch ? 0 : this.pollMs);
        })
        .catch((error: unknown) => {
          // Said once per outage (Postgres down), not twice a second.
          if (!this.failing) log("error", "operation resolver cannot poll the journal", describeError(error));
          this.failing = true;
          this.schedule(this.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async work(row: JournalRow): Promise<void> {
    try {
      if (row.state === "recorded") {
        await fenceIfExpired(
          this.db,
          row.id,
          BUDGETS.vaultReplyMarginMs,
          unavailable(subjectOf(row).processor, FENCED),
        );
        return;
      }
      if (row.state === "sent" && !(await this.takeOver(row))) return;
      await this.attempt(row);
    } catch (error) {
      log("error", "operation resolution attempt failed", { operation_id: row.id, ...describeError(error) });
    }
  }

  /** A `sent` row whose sender never journaled an answer: its outcome is unknown, and now owed. */
  private takeOver(row: JournalRow): Promise<boolean> {
    const subject = subjectOf(row);
    return recordAnswer(this.db, row.id, "sent", {
      state: "unknown",
      outcome: pending(subject),
      resolution: resolutionFor(subject.kind),
      nextAttemptAt: new Date(Date.now() + this.leaseMs),
      lastError: "the vault that sent it recorded no answer",
    });
  }

  private async attempt(row: JournalRow): Promise<void> {
    if (row.livemode === null) throw new Error(`journal row ${row.id} has no mode`);
    // A row from before processors were configuration is worked on acquirer A, by its network.
    if (!row.processor) throw new Error(`journal row ${row.id} is a tombstone`);
    const current = currentProcessor(
      { ...row, processor: row.processor },
      { processorReference: true, originalReference: true },
    );
    const connector = this.links.connector(current.processor, row.livemode);
    // A processor taken away while work was owed on it: kept owed (never guessed) until it is back.
    const step = connector
      ? await resolveStep(current, connector)
      : { done: false as const, reason: notConfigured(current.processor, row.livemode) };
    if (step.done) {
      const settled = await recordAnswer(this.db, row.id, "unknown", { ...step, lastError: null });
      if (settled)
        log("info", "operation resolved", { operation_id: row.id, outcome: step.state, attempts: row.attempts });
      return;
    }
    await retryLater(this.db, row.id, new Date(Date.now() + resolveBackoffMs(row.attempts)), step.reason);
  }
}
