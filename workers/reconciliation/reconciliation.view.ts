import type { reconciliationItems } from "../../db/schema/reconciliation.js";
import type { ReconciliationRun } from "./reconciliation-run.js";

/** The API's `reconciliation_run` object. */
export function reconciliationRunView(run: ReconciliationRun) {
  return {
    id: run.id,
    object: "reconciliation_run" as const,
    processor: run.processor,
    livemode: run.livemode,
    day: run.day,
    status: run.status,
    supersedes: run.supersedes,
    file: { sha256: run.fileSha256, bytes: run.fileBytes, lines: run.lineCount, key: run.fileKey },
    gateway_count: run.gatewayCount,
    counts: run.counts,
    exceptions_file: { sha256: run.exceptionsSha256, key: run.exceptionsKey },
    created: Math.floor(run.createdAt.getTime() / 1000),
  };
}

type Item = typeof reconciliationItems.$inferSelect;

/** A currency as the API writes them (lower case); a code the file had that is not one stays as it came. */
const currency = (code: string | null) => (code !== null && /^[A-Z]{3}$/.test(code) ? code.toLowerCase() : code);

/** One exception: the processor's keys, and each side's values (null where that side has none). */
export function reconciliationItemView(item: Item) {
  return {
    object: "reconciliation_item" as const,
    seq: item.seq,
    class: item.class,
    kind: item.kind,
    reference: item.reference,
    original_reference: item.originalReference,
    line: item.lineNo,
    source: item.sourceId,
    payment: item.paymentId,
    merchant: item.merchantId,
    file: {
      amount: item.fileAmount,
      currency: currency(item.fileCurrency),
      fee: item.fileFee,
      auth_code: item.fileAuthCode,
    },
    gateway: {
      amount: item.gatewayAmount,
      currency: currency(item.gatewayCurrency),
      fee: item.gatewayFee,
      auth_code: item.gatewayAuthCode,
    },
  };
}
