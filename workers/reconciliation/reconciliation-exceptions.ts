import { sql } from "drizzle-orm";
import { csvLine } from "../reports/csv.js";
import type { R2StreamWriter } from "../settlement/r2-stream-writer.js";
import type { FileLine, GatewayRow, MatchedItem } from "./reconciliation-matcher.js";
import type { Staging } from "./reconciliation-staging.js";

/** Exceptions written to Postgres per statement: the run's memory is this many, whatever the day. */
const BATCH = 1_000;

/** The exceptions CSV's columns (RFC 4180): the class, the processor's keys, then each side's values. */
export const EXCEPTIONS_CSV_HEADER =
  "class,kind,reference,original_reference,line,source,payment,merchant,file_amount,gateway_amount,file_currency,gateway_currency,file_fee,gateway_fee,file_auth_code,gateway_auth_code\r\n";

/** An exception as stored: the line's and the movement's values side by side. */
export interface ExceptionRow {
  seq: number;
  class: string;
  kind: "charge" | "refund";
  reference: string | null;
  originalReference: string | null;
  lineNo: number | null;
  sourceId: string | null;
  paymentId: string | null;
  merchantId: string | null;
  fileAmount: number | null;
  gatewayAmount: number | null;
  fileCurrency: string | null;
  gatewayCurrency: string | null;
  fileFee: number | null;
  gatewayFee: number | null;
  fileAuthCode: string | null;
  gatewayAuthCode: string | null;
}

/** The payment's key, when it is not the reference shown itself: a refund's original RRN, a charge's PaymentIntent. */
function paymentKey(side: FileLine | GatewayRow | null): string | null {
  if (!side || side.paymentReference === null || side.paymentReference === side.reference) return null;
  return side.paymentReference;
}

function exceptionRow(seq: number, item: MatchedItem): ExceptionRow {
  const { line, row } = item;
  return {
    seq,
    class: item.class,
    kind: line?.kind ?? row?.kind ?? "charge",
    reference: line?.reference ?? row?.reference ?? null,
    originalReference: paymentKey(line ?? row),
    lineNo: line?.lineNo ?? null,
    sourceId: row?.sourceId ?? null,
    paymentId: row?.paymentId ?? null,
    merchantId: row?.merchantId ?? null,
    fileAmount: line?.amount ?? null,
    gatewayAmount: row?.amount ?? null,
    fileCurrency: line?.currency ?? null,
    gatewayCurrency: row?.currency ?? null,
    fileFee: line?.fee ?? null,
    gatewayFee: row?.fee ?? null,
    fileAuthCode: line?.authCode ?? null,
    gatewayAuthCode: row?.authCode ?? null,
  };
}

const text = (value: number | string | null) => (value === null ? null : String(value));

export function exceptionCsvLine(row: ExceptionRow): string {
  return csvLine([
    row.class,
    row.kind,
    row.reference,
    row.originalReference,
    text(row.lineNo),
    row.sourceId,
    row.paymentId,
    row.merchantId,
    text(row.fileAmount),
    text(row.gatewayAmount),
    row.fileCurrency,
    row.gatewayCurrency,
    text(row.fileFee),
    text(row.gatewayFee),
    row.fileAuthCode,
    row.gatewayAuthCode,
  ]);
}

/**
 * Where a run's exceptions go as it finds them: numbered in order, each a CSV line in R2 and a
 * row of `reconciliation_items`, written in batches of arrays (unnest) rather than held.
 */
export class ExceptionWriter {
  private pending: ExceptionRow[] = [];
  private seq = 0;

  constructor(
    private readonly tx: Staging,
    private readonly runId: string,
    private readonly csv: R2StreamWriter,
  ) {}

  get count(): number {
    return this.seq;
  }

  async add(item: MatchedItem): Promise<void> {
    this.seq += 1;
    const row = exceptionRow(this.seq, item);
    await this.csv.write(exceptionCsvLine(row));
    this.pending.push(row);
    if (this.pending.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    const column = (pick: (row: ExceptionRow) => unknown) => sql.param(rows.map(pick));
    await this.tx.execute(sql`
      insert into reconciliation_items (run_id, seq, class, kind, reference, original_reference, line_no, source_id,
        payment_id, merchant_id, file_amount, gateway_amount, file_currency, gateway_currency, file_fee, gateway_fee,
        file_auth_code, gateway_auth_code)
      select ${this.runId}, * from unnest(
        ${column((r) => r.seq)}::integer[], ${column((r) => r.class)}::text[], ${column((r) => r.kind)}::text[],
        ${column((r) => r.reference)}::text[], ${column((r) => r.originalReference)}::text[],
        ${column((r) => r.lineNo)}::integer[], ${column((r) => r.sourceId)}::text[], ${column((r) => r.paymentId)}::text[],
        ${column((r) => r.merchantId)}::text[], ${column((r) => r.fileAmount)}::bigint[],
        ${column((r) => r.gatewayAmount)}::bigint[], ${column((r) => r.fileCurrency)}::text[],
        ${column((r) => r.gatewayCurrency)}::text[], ${column((r) => r.fileFee)}::bigint[],
        ${column((r) => r.gatewayFee)}::bigint[], ${column((r) => r.fileAuthCode)}::text[],
        ${column((r) => r.gatewayAuthCode)}::text[])`);
  }
}
