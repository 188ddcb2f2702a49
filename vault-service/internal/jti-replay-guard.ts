import { sql } from "drizzle-orm";
import { edgeTokenJtis } from "../../db/schema/index.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { describeError, log } from "../logging/logger.js";

/** `replay store unavailable`: Postgres did not answer, so the vault cannot know, and refuses. */
export type ReplayCheck = "first use" | "replayed" | "replay store unavailable";

/** How often expired jtis are deleted: tokens live a minute, so the table holds a few minutes' calls. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Remembers the `jti` of every edge token until it expires and refuses a second use (RFC 7519
 * §4.1.7), in Postgres so that every vault replica sees every other's: one primary-key insert
 * per call, a conflict being the replay. Expired rows go in a periodic sweep on the expiry
 * index, never on the call's path. Fails closed: no answer from Postgres is a refusal.
 */
export class JtiReplayGuard {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly db: VaultDatabase) {}

  /** `first use` the first time `jti` is presented on any replica; `expiresAt` in epoch seconds. */
  async accept(jti: string, expiresAt: number): Promise<ReplayCheck> {
    try {
      const inserted = await this.db
        .insert(edgeTokenJtis)
        .values({ jti, expiresAt: new Date(expiresAt * 1000) })
        .onConflictDoNothing()
        .returning({ jti: edgeTokenJtis.jti });
      return inserted.length === 1 ? "first use" : "replayed";
    } catch (error) {
      // The driver's own error: drizzle's wrapper would print the statement's parameters.
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      log("error", "edge token replay store unavailable", describeError(cause));
      return "replay store unavailable";
    }
  }

  /** Deletes the jtis of tokens that can no longer be presented; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    const deleted = await this.db
      .delete(edgeTokenJtis)
      .where(sql`${edgeTokenJtis.expiresAt} < ${now}`)
      .returning({ jti: edgeTokenJtis.jti });
    return deleted.length;
  }

  /** Sweeps every minute until stopped (each replica sweeps; a delete twice is harmless). */
  start(): void {
    this.timer ??= setInterval(() => {
      this.sweep().catch((error: unknown) => log("warn", "edge token jti sweep failed", describeError(error)));
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
