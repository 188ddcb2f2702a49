import { sql } from "drizzle-orm";
import { connect, type Database } from "../db/database.js";
import { describeError, log } from "../logging/logger.js";
import { auditChain } from "./audit-chain.js";
import type { AuditEntry } from "./audit-entry.js";
import { derivedAuditId } from "./audit-log.js";

/** A gap in the row ids this old is a rolled-back insert or a sequence jump, never a row still to come. */
const GAP_SECONDS = 60;
const PAGE = 200;
/** Pages per pass: a backlog drains over a few batches instead of holding one. */
const PAGES_PER_PASS = 10;

interface AccessRow extends Record<string, unknown> {
  id: string;
  token: string;
  merchant_id: string;
  payment_id: string;
  operation_id: string;
  accessor: string;
  purpose: string;
  accessed_at: Date | string;
  /** Older than GAP_SECONDS. */
  settled: boolean;
}

/**
 * The vault's card access log (`vault_card_access_log`, one row per decryption, written before
 * the card is opened) forwarded into the audit chain by the edge reading it, not by the vault
 * posting it. Why pulling: the table already is a durable, append-only outbox (a trigger refuses
 * UPDATE and DELETE), so nothing is lost while the edge, the queue or R2 is down, and the vault's
 * authorization path gains no network call and no new credential; the chain's object keeps the
 * cursor (the last row id chained) and appends the rows and the cursor together.
 *
 * Row ids come from a sequence, and an insert can commit after one that took a later id: the
 * cursor moves only over contiguous ids, and over a gap once the row after it is GAP_SECONDS old
 * (the vault writes each row in one statement, in flight for milliseconds; a gap that lasts is an
 * insert that failed, or Postgres's sequence jumping after a crash). An entry's id derives from
 * the row id, so a row read twice is chained once.
 */
export async function cardAccessEntries(
  db: Database,
  after: number,
): Promise<{ entries: AuditEntry[]; cursor: number | null }> {
  const result = await db.execute<AccessRow>(sql`
    select id, token, merchant_id, payment_id, operation_id, accessor, purpose, accessed_at,
           accessed_at < now() - make_interval(secs => ${GAP_SECONDS}) as settled
    from vault_card_access_log
    where id > ${after}
    order by id
    limit ${PAGE}`);
  const rows: AccessRow[] = [];
  let next = after + 1;
  for (const row of result.rows) {
    if (Number(row.id) !== next && !row.settled) break; // an id before it may still commit
    rows.push(row);
    next = Number(row.id) + 1;
  }
  const entries = await Promise.all(
    rows.map(async (row) => ({
      id: await derivedAuditId(`vault.card_accessed:${row.id}`),
      at: new Date(row.accessed_at).toISOString(),
      action: "vault.card_accessed",
      target_id: row.token,
      actor: { kind: "service" as const, id: row.accessor, merchant_id: row.merchant_id },
      request_id: null,
      details: {
        payment_id: row.payment_id,
        operation_id: row.operation_id,
        purpose: row.purpose,
        access_log_id: Number(row.id),
      },
    })),
  );
  return { entries, cursor: rows.length > 0 ? next - 1 : null };
}

/** Chains the vault's card accesses not chained yet; returns how many entries it added. */
export async function forwardCardAccess(env: Env, db: Database): Promise<number> {
  const chain = auditChain(env);
  let chained = 0;
  for (let page = 0; page < PAGES_PER_PASS; page++) {
    const { entries, cursor } = await cardAccessEntries(db, await chain.cardAccessCursor());
    if (cursor === null) break;
    chained += (await chain.append(entries, cursor)).entries;
    if (entries.length < PAGE) break;
  }
  return chained;
}

/** The hourly Cron Trigger's pass, for hours when no audit-log batch came to do it. */
export async function forwardCardAccessNow(env: Env): Promise<void> {
  try {
    const connection = await connect(env);
    try {
      await forwardCardAccess(env, connection.db);
    } finally {
      await connection.close().catch(() => {});
    }
  } catch (error) {
    log("warn", "card access log not forwarded to the audit chain", describeError(error));
  }
}
