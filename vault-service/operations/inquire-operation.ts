import type { InquireResponse } from "../../common/vault-internal-api.js";
import type { VaultDatabase } from "../db/vault-database.js";
import { findOperation, recordNotSent } from "./operation-journal.js";
import { unavailable } from "./operation-outcomes.js";
import { currentAnswer } from "./operation-runner.js";

const NEVER_RECEIVED = "the vault never received this operation; its id is fenced and it will never be sent";

/**
 * What became of an operation, from the journal alone (no network call: the resolver does
 * those). An id the vault never received gets a `not_sent` tombstone first, so a request with
 * that id still queued somewhere (a paused vault's socket) is refused when it arrives: the edge
 * may then retry under a new id, or fail over, without risking a second charge.
 */
export async function inquireOperation(db: VaultDatabase, operationId: string): Promise<InquireResponse> {
  let row = await findOperation(db, operationId);
  if (!row) {
    const fenced = unavailable(null, NEVER_RECEIVED);
    if (await recordNotSent(db, { id: operationId, deadline: new Date() }, fenced)) return fenced;
    row = await findOperation(db, operationId);
    if (!row) throw new Error(`journal row ${operationId} vanished`);
  }
  const answer = await currentAnswer(db, row);
  const authorization = row.kind === "authorization" || row.kind === "sale";
  return authorization ? { ...answer, card: row.card } : answer;
}
