import { and, asc, eq, inArray, lte, ne, type SQL, sql } from "drizzle-orm";
import { PROCESSOR_REGISTRY } from "../../common/processor-registry.js";
import type { CardSummary, OperationResponse, Processor, Resolution } from "../../common/vault-internal-api.js";
import { type NetworkOperationKind, type NetworkOperationState, networkOperations } from "../../db/schema/index.js";
import { NETWORK_OPERATIONS_RRN_INDEX } from "../../db/schema/network-operations.js";
import type { VaultDatabase } from "../db/vault-database.js";

/** One row of the vault's operation journal (`db/schema/network-operations.ts`). */
export type JournalRow = typeof networkOperations.$inferSelect;

/** What the vault is about to put on the wire, written before it does. */
export interface Intent {
  id: string;
  paymentId: string;
  /** The payment's mode: which network links the operation, and all that is owed for it, use. */
  livemode: boolean;
  kind: NetworkOperationKind;
  processor: Processor;
  amount: number;
  currency: string;
  originalReference: string | null;
  processorReference: string;
  card: CardSummary | null;
  deadline: Date;
}

/** Where a row goes next: its state, the answer to replay, and when the resolver looks again. */
export interface JournalAnswer {
  state: NetworkOperationState;
  outcome: OperationResponse;
  resolution?: Resolution;
  nextAttemptAt?: Date | null;
  lastError?: string | null;
}

const t = networkOperations;
const ms = (value: number) => sql`(${value}::int * interval '1 millisecond')`;
/** Postgres's clock at the statement, not ours at the call: the fences compare against it. */
const now = sql`clock_timestamp()`;
/** The latest moment anything may go on the wire: the edge's deadline less the reply margin. */
const cutoff = (marginMs: number) => sql`(${t.deadline} - ${ms(marginMs)})`;

const answerColumns = (answer: JournalAnswer) => ({
  state: answer.state,
  outcome: answer.outcome,
  ...(answer.resolution ? { resolution: answer.resolution } : {}),
  nextAttemptAt: answer.nextAttemptAt ?? null,
  ...(answer.lastError !== undefined ? { lastError: answer.lastError } : {}),
  updatedAt: sql`now()`,
});

export async function findOperation(db: VaultDatabase, id: string): Promise<JournalRow | undefined> {
  const [row] = await db.select().from(t).where(eq(t.id, id));
  return row;
}

/**
 * The retrieval reference (ISO 8583 field 37) a message to an acquirer mints for itself, which
 * every card-network reference begins with (`encodeReference`): an authorization's, a sale's, a
 * refund's. A completion or a reversal carries its original's, so it claims none; the aggregator
 * speaks HTTP and has none.
 */
export function ownRrn(intent: Pick<Intent, "kind" | "processor" | "processorReference">): string | null {
  if (PROCESSOR_REGISTRY[intent.processor].kind !== "card_network") return null;
  const mints = intent.kind === "authorization" || intent.kind === "sale" || intent.kind === "refund";
  return mints ? intent.processorReference.slice(0, 12) : null;
}

/** Postgres refused the intent because another row holds its RRN (23505 on the journal's RRN index). */
export function isRrnTaken(error: unknown): boolean {
  // Drizzle wraps the driver's error; the Postgres fields are on a cause.
  let at = error;
  while (at instanceof Error) {
    const fields = at as Error & { code?: string; constraint?: string };
    if (fields.code === "23505" && fields.constraint === NETWORK_OPERATIONS_RRN_INDEX) return true;
    at = at.cause;
  }
  return false;
}

/**
 * Whether a retransmitted id names the journaled operation: the same payment, mode, kind, amount,
 * currency and original. A tombstone (an id fenced before it arrived) names none, and matches.
 */
export function sameOperation(row: JournalRow, intent: Intent): boolean {
  if (row.kind === null) return true;
  return (
    row.paymentId === intent.paymentId &&
    row.livemode === intent.livemode &&
    row.kind === intent.kind &&
    row.amount === intent.amount &&
    row.currency === intent.currency &&
    row.originalReference === intent.originalReference
  );
}

/**
 * Whether the journal holds an authorization (or sale) of the intent's payment in the other mode.
 * The edge names the mode of every call; this is the vault's own check that a payment's
 * follow-ups never cross into the other world's links (defense in depth, DESIGN invariant 6).
 */
export async function authorizedInOtherMode(
  db: VaultDatabase,
  intent: Pick<Intent, "paymentId" | "livemode">,
): Promise<boolean> {
  const [row] = await db
    .select({ id: t.id })
    .from(t)
    .where(
      and(
        eq(t.paymentId, intent.paymentId),
        inArray(t.kind, ["authorization", "sale"]),
        ne(t.livemode, intent.livemode),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Writes the intent as `recorded`, due to be fenced at its cutoff, claiming its own RRN. False:
 * the id is journaled already. Throws (see `isRrnTaken`) when another row holds the RRN.
 */
export async function recordIntent(db: VaultDatabase, intent: Intent, marginMs: number): Promise<boolean> {
  const inserted = await db
    .insert(t)
    .values({
      ...intent,
      rrn: ownRrn(intent),
      state: "recorded",
      nextAttemptAt: new Date(intent.deadline.getTime() - marginMs),
    })
    .onConflictDoNothing({ target: t.id })
    .returning({ id: t.id });
  return inserted.length === 1;
}

/**
 * A definite `not_sent` row for an id that will never be sent: a request that came after its
 * deadline, or a tombstone for an id inquired about before it arrived. False: the id exists.
 */
export async function recordNotSent(
  db: VaultDatabase,
  row: Partial<Intent> & { id: string; deadline: Date },
  outcome: OperationResponse,
): Promise<boolean> {
  const inserted = await db
    .insert(t)
    .values({ ...row, state: "not_sent", outcome })
    .onConflictDoNothing({ target: t.id })
    .returning({ id: t.id });
  return inserted.length === 1;
}

/**
 * `recorded -> sent`, atomically, only while the row is still `recorded` and its cutoff has not
 * passed. The resolver takes the row over if no answer is recorded by `staleAfterMs`.
 */
export async function markSent(
  db: VaultDatabase,
  id: string,
  marginMs: number,
  staleAfterMs: number,
): Promise<boolean> {
  const updated = await db
    .update(t)
    .set({ state: "sent", nextAttemptAt: sql`${now} + ${ms(staleAfterMs)}`, updatedAt: sql`now()` })
    .where(and(eq(t.id, id), eq(t.state, "recorded"), sql`${now} < ${cutoff(marginMs)}`))
    .returning({ id: t.id });
  return updated.length === 1;
}

/** The fence: `recorded -> not_sent` once the cutoff has passed. After it, the row can never be sent. */
export async function fenceIfExpired(
  db: VaultDatabase,
  id: string,
  marginMs: number,
  outcome: OperationResponse,
): Promise<boolean> {
  const updated = await db
    .update(t)
    .set({ state: "not_sent", outcome, nextAttemptAt: null, updatedAt: sql`now()` })
    .where(and(eq(t.id, id), eq(t.state, "recorded"), sql`${now} >= ${cutoff(marginMs)}`))
    .returning({ id: t.id });
  return updated.length === 1;
}

/** Moves a row on from `from` (the state its writer last saw); false when someone else moved it first. */
export async function recordAnswer(
  db: VaultDatabase,
  id: string,
  from: NetworkOperationState,
  answer: JournalAnswer,
): Promise<boolean> {
  const updated = await db
    .update(t)
    .set(answerColumns(answer))
    .where(and(eq(t.id, id), eq(t.state, from)))
    .returning({ id: t.id });
  return updated.length === 1;
}

/** The resolver tries again later: the row stays `unknown`. */
export async function retryLater(db: VaultDatabase, id: string, at: Date, lastError: string): Promise<void> {
  await db
    .update(t)
    .set({ nextAttemptAt: at, lastError, updatedAt: sql`now()` })
    .where(and(eq(t.id, id), eq(t.state, "unknown")));
}

/**
 * Claims up to `limit` rows that are due (owed work, a `sent` row whose sender never recorded
 * an answer, a `recorded` row past its cutoff), leasing each for `leaseMs`. SKIP LOCKED: several
 * vault instances share the journal, and each row is worked by one of them at a time.
 */
export async function claimDue(db: VaultDatabase, limit: number, leaseMs: number): Promise<JournalRow[]> {
  const open: SQL = inArray(t.state, ["recorded", "sent", "unknown"]);
  const due = db
    .select({ id: t.id })
    .from(t)
    .where(and(open, lte(t.nextAttemptAt, now)))
    .orderBy(asc(t.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(t)
    .set({
      nextAttemptAt: sql`${now} + ${ms(leaseMs)}`,
      attempts: sql`${t.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(inArray(t.id, due), open))
    .returning();
}
