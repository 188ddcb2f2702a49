import { BUDGETS } from "../../common/timeout-budgets.js";
import type { OperationResponse } from "../../common/vault-internal-api.js";
import type { OperationResult } from "../connectors/card-connector.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { describeError, log } from "../logging/logger.js";
import {
  fenceIfExpired,
  findOperation,
  type Intent,
  type JournalAnswer,
  type JournalRow,
  markSent,
  recordAnswer,
  recordIntent,
  recordNotSent,
} from "./operation-journal.js";
import { FENCED, firstAnswer, pending, type Subject, unavailable } from "./operation-outcomes.js";

/** Nothing goes on the wire later than this before the edge's deadline, and the vault answers by then. */
const MARGIN_MS = BUDGETS.vaultReplyMarginMs;

export interface RunnerDeps {
  db: VaultDatabase;
  /** How long after `sent` the resolver may assume the sender died without recording an answer. */
  staleAfterMs: number;
}

/**
 * One network operation, as DESIGN invariant 4a wants it: the intent is journaled before the
 * wire, marked `sent` only while its deadline allows (atomically, so an inquiry's fence and the
 * send cannot both win), sent once, and its answer journaled. A retransmission of the same
 * operation id replays the journal and never sends again. The edge is answered before its
 * deadline whatever the network does: `unknown` if the work is still out, which goes on and
 * journals its outcome for the edge's inquiry.
 */
export async function runOperation(
  deps: RunnerDeps,
  intent: Intent,
  send: () => Promise<OperationResult>,
): Promise<OperationResponse> {
  const replyBy = intent.deadline.getTime() - MARGIN_MS;
  // Came after its deadline: journaled `not_sent`, so the id can never be sent later either.
  const late = Date.now() >= replyBy;
  let fresh: boolean;
  try {
    fresh = late
      ? await recordNotSent(deps.db, intent, unavailable(intent.processor, FENCED))
      : await recordIntent(deps.db, intent, MARGIN_MS);
  } catch (error) {
    // Nothing is on the wire; a `recorded` row that did reach Postgres is fenced at its cutoff.
    log("error", "operation journal unreachable before sending", { operation_id: intent.id, ...describeError(error) });
    return unavailable(intent.processor, "the operation journal is unreachable; nothing was sent");
  }
  if (!fresh) return replay(deps.db, intent.id);
  if (late) return unavailable(intent.processor, FENCED);
  try {
    if (!(await markSent(deps.db, intent.id, MARGIN_MS, deps.staleAfterMs))) return replay(deps.db, intent.id);
  } catch (error) {
    // Perhaps committed, perhaps not: `unknown`, and the journal settles it (fenced, or resolved).
    log("error", "operation journal failed while marking sent", { operation_id: intent.id, ...describeError(error) });
    return pending(intent);
  }
  return answerBy(transmit(deps.db, intent, send), replyBy, pending(intent));
}

/**
 * The edge's deadline, never further out than one edge call: a deadline from a confused caller
 * must not keep an intent unfenced (and its inquiry `unknown`) for longer than the edge waits.
 */
export function effectiveDeadline(deadline: number): Date {
  return new Date(Math.min(deadline, Date.now() + BUDGETS.edgeVaultCallMs));
}

/** The answer the journal holds for a row now; a `recorded` row past its cutoff is fenced first. */
export async function currentAnswer(db: VaultDatabase, row: JournalRow): Promise<OperationResponse> {
  let current = row;
  if (
    current.state === "recorded" &&
    (await fenceIfExpired(db, row.id, MARGIN_MS, unavailable(row.processor, FENCED)))
  ) {
    current = (await findOperation(db, row.id)) ?? row;
  }
  if (current.state !== "recorded" && current.state !== "sent" && current.outcome) return current.outcome;
  return pending(subjectOf(current));
}

export function subjectOf(row: JournalRow): Subject {
  if (!row.kind || !row.processor || !row.processorReference) throw new Error(`journal row ${row.id} is a tombstone`);
  return { kind: row.kind, processor: row.processor, processorReference: row.processorReference };
}

async function replay(db: VaultDatabase, id: string): Promise<OperationResponse> {
  const row = await findOperation(db, id);
  if (!row) throw new Error(`journal row ${id} vanished`);
  return currentAnswer(db, row);
}

async function transmit(
  db: VaultDatabase,
  intent: Intent,
  send: () => Promise<OperationResult>,
): Promise<OperationResponse> {
  let result: OperationResult;
  try {
    result = await send();
  } catch (error) {
    // Our bug, after the row was marked sent: whether it reached the wire is not known.
    log("error", "sending an operation failed", { operation_id: intent.id, ...describeError(error) });
    result = { status: "unknown", reason: "internal error while sending" };
  }
  const answer = firstAnswer(intent, result);
  const recorded = await journalAnswer(db, intent.id, answer);
  if (recorded) return answer.outcome;
  // The resolver took the row over, or the journal is unreachable (then the resolver will).
  return (await findOperation(db, intent.id).catch(() => undefined))?.outcome ?? pending(intent);
}

/** Writes the first answer, retrying a failing journal for up to its budget. */
async function journalAnswer(db: VaultDatabase, id: string, answer: JournalAnswer): Promise<boolean> {
  const until = Date.now() + BUDGETS.vaultJournalMs;
  for (;;) {
    try {
      return await recordAnswer(db, id, "sent", answer);
    } catch (error) {
      if (Date.now() >= until) {
        log("error", "operation answer not journaled; the resolver will work it", {
          operation_id: id,
          ...describeError(error),
        });
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The work's answer if it comes before `at` (epoch ms), else `fallback`; the work goes on either way. */
function answerBy<T>(work: Promise<T>, at: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, at - Date.now()));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
