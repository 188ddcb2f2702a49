import { BUDGETS } from "../../common/timeout-budgets.js";
import type { OperationResponse } from "../../common/vault-internal-api.js";
import type { CardBrand } from "../cards/card-brands.js";
import type { OperationResult } from "../connectors/card-connector.js";
import type { ConnectorRegistry } from "../connectors/connector-registry.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { VaultError } from "../errors/vault-error.js";
import { describeError, log } from "../logging/logger.js";
import { answerBy } from "./answer-by.js";
import { currentProcessor } from "./legacy-processors.js";
import {
  authorizedInOtherMode,
  fenceIfExpired,
  findOperation,
  type Intent,
  isRrnTaken,
  type JournalAnswer,
  type JournalRow,
  markSent,
  recordAnswer,
  recordIntent,
  recordNotSent,
  sameOperation,
} from "./operation-journal.js";
import { FENCED, firstAnswer, pending, type Subject, shortOfWire, unavailable } from "./operation-outcomes.js";

/** Nothing goes on the wire later than this before the edge's deadline, and the vault answers by then. */
const MARGIN_MS = BUDGETS.vaultReplyMarginMs;
/** References tried for one operation when the journal finds each one's RRN taken. */
const RRN_ATTEMPTS = 5;

export interface RunnerDeps {
  db: VaultDatabase;
  /** The operation's own mode's links: mint a fresh reference when the journal finds an RRN taken. */
  connectors: ConnectorRegistry;
  /** How long after `sent` the resolver may assume the sender died without recording an answer. */
  staleAfterMs: number;
}

/**
 * One network operation, as DESIGN invariant 4a wants it: the intent is journaled before the
 * wire, marked `sent` only while its deadline allows (atomically, so an inquiry's fence and the
 * send cannot both win), sent once, and its answer journaled. A retransmission of the same
 * operation id replays the journal and never sends again; the same id for another operation is
 * refused. The edge is answered before its deadline whatever Postgres or the network does:
 * `unknown` if the work is still out, which goes on (or, short of the wire, stops) and journals
 * its outcome for the edge's inquiry. `send` gets the reference that was finally journaled.
 */
export async function runOperation(
  deps: RunnerDeps,
  planned: Intent,
  send: (reference: string) => Promise<OperationResult>,
): Promise<OperationResponse> {
  const replyBy = planned.deadline.getTime() - MARGIN_MS;
  // Came after its deadline: journaled `not_sent`, so the id can never be sent later either.
  if (Date.now() >= replyBy) return refuseLate(deps.db, planned);
  let intent = planned;
  let onWire = false;
  const answered = new AbortController();
  const work = async (): Promise<OperationResponse> => {
    const journaled = await journalIntent(deps, planned);
    if ("answer" in journaled) return journaled.answer;
    intent = journaled.recorded;
    // The edge was told `unknown` while the journal was slow: the row stays `recorded`, is fenced.
    if (answered.signal.aborted) return shortOfWire(intent);
    try {
      if (!(await markSent(deps.db, intent.id, MARGIN_MS, deps.staleAfterMs))) return replay(deps.db, intent);
    } catch (error) {
      // Perhaps committed, perhaps not: `unknown`, and the journal settles it (fenced, or resolved).
      log("error", "operation journal failed while marking sent", { operation_id: intent.id, ...describeError(error) });
      return pending(intent);
    }
    onWire = true;
    return transmit(deps.db, intent, send);
  };
  return answerBy(work(), replyBy, () => {
    answered.abort();
    return onWire ? pending(intent) : shortOfWire(intent);
  });
}

async function refuseLate(db: VaultDatabase, intent: Intent): Promise<OperationResponse> {
  const fenced = unavailable(intent.processor, FENCED);
  try {
    if (await recordNotSent(db, intent, fenced)) return fenced;
  } catch (error) {
    log("error", "operation journal unreachable before sending", { operation_id: intent.id, ...describeError(error) });
    return unavailable(intent.processor, "the operation journal is unreachable; nothing was sent");
  }
  return replay(db, intent);
}

/**
 * Records the intent, or finds its id journaled already (a retransmission: replayed). An RRN
 * another row holds (another vault instance on the same terminal, or this one before a restart,
 * minted it this hour) would make the acquirer book this message as that one's retransmission:
 * the operation gets a fresh STAN, and so a fresh RRN, and is recorded again. An operation of a
 * payment the journal holds authorized in the other mode is refused, never recorded or sent.
 */
async function journalIntent(
  deps: RunnerDeps,
  planned: Intent,
): Promise<{ recorded: Intent } | { answer: OperationResponse }> {
  let crossed: boolean;
  try {
    crossed = await authorizedInOtherMode(deps.db, planned);
  } catch (error) {
    return nothingSent(planned, "the operation journal is unreachable", error);
  }
  if (crossed) throw new VaultError("livemode_mismatch", { param: "livemode" });
  let intent = planned;
  for (let attempt = 1; ; attempt++) {
    let fresh: boolean;
    try {
      fresh = await recordIntent(deps.db, intent, MARGIN_MS);
    } catch (error) {
      const taken = isRrnTaken(error);
      const connector = deps.connectors.get(intent.processor);
      if (taken && connector && attempt < RRN_ATTEMPTS) {
        log("warn", "retrieval reference already journaled; trying a fresh one", { operation_id: intent.id });
        connector.moveTrace(intent.processorReference);
        const brand = (intent.card?.brand ?? null) as CardBrand | null;
        const reference = connector.reference(intent.kind, intent.originalReference, { operationId: intent.id, brand });
        if (reference) intent = { ...intent, processorReference: reference };
        continue;
      }
      // Nothing is on the wire; a `recorded` row that did reach Postgres is fenced at its cutoff.
      return nothingSent(
        intent,
        taken ? "no unused retrieval reference was found" : "the operation journal is unreachable",
        error,
      );
    }
    return fresh ? { recorded: intent } : { answer: await replay(deps.db, intent) };
  }
}

function nothingSent(intent: Intent, reason: string, error: unknown): { answer: OperationResponse } {
  log("error", `${reason} before sending`, { operation_id: intent.id, ...describeError(error) });
  return { answer: unavailable(intent.processor, `${reason}; nothing was sent`) };
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
    (await fenceIfExpired(db, row.id, MARGIN_MS, unavailable(subjectOf(row).processor, FENCED)))
  ) {
    current = (await findOperation(db, row.id)) ?? row;
  }
  if (current.state !== "recorded" && current.state !== "sent" && current.outcome) return current.outcome;
  return pending(subjectOf(current));
}

/** Who a row's answer is about, by today's processor ids (see `currentProcessor`). */
export function subjectOf(row: JournalRow): Subject {
  if (!row.kind || !row.processor || !row.processorReference) throw new Error(`journal row ${row.id} is a tombstone`);
  const { processor } = currentProcessor({ processor: row.processor }, {});
  return { kind: row.kind, processor, processorReference: row.processorReference };
}

/** The journaled answer to a retransmission; an id journaled for another operation is refused. */
async function replay(db: VaultDatabase, intent: Intent): Promise<OperationResponse> {
  const row = await findOperation(db, intent.id);
  if (!row) throw new Error(`journal row ${intent.id} vanished`);
  if (!sameOperation(row, intent)) throw new VaultError("operation_id_reused", { param: "operation_id" });
  return currentAnswer(db, row);
}

async function transmit(
  db: VaultDatabase,
  intent: Intent,
  send: (reference: string) => Promise<OperationResult>,
): Promise<OperationResponse> {
  let result: OperationResult;
  try {
    result = await send(intent.processorReference);
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
