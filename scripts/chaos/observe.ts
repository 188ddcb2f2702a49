import type { DevJson } from "../../test/support/running-stack.js";
import { query } from "../../test/support/sql-client.js";
import { control, mapLimit, merchant } from "./client.js";

/** A ledger entry as the acquirer simulator shows it (newer simulators add the per-kind amounts). */
export interface LedgerEntry {
  rrn: string;
  kind: string;
  status: string;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  authorizedAmount?: number;
  reversedAmount?: number;
  createdAt: string;
}

export interface PaymentSnapshot {
  id: string;
  object: Record<string, any> | null;
  events: { sequence: number; event_type: string; old_status: string | null; new_status: string }[];
  row: Record<string, any> | null;
  refundRows: Record<string, any>[];
  eventRows: { sequence: number; event_type: string; new_status: string }[];
  ledger: LedgerEntry | null;
}

export interface Snapshot {
  payments: PaymentSnapshot[];
  /** Authorizations and sales booked at the acquirer since the campaign began that no payment of ours names. */
  orphanLedgerEntries: LedgerEntry[];
  /** The vault's journal rows still owed to the network, or null when the journal does not exist yet. */
  owedNetworkOperations: Record<string, any>[] | null;
}

const rrnOf = (reference: string | null | undefined) => (reference ? reference.split("-")[0] : undefined);

/** Reads everything the checks compare: the objects, Postgres, the acquirer's books, the vault's journal. */
export async function observe(dev: DevJson, ids: string[], since: Date): Promise<Snapshot> {
  const db = dev.database_url;
  const [rows, refundRows, eventRows, recent, journal] = await Promise.all([
    query(db, "select * from payments where id = any($1)", [ids]),
    query(db, "select id, payment_id, status, amount from refunds where payment_id = any($1)", [ids]),
    query(db, "select payment_id, sequence, event_type, new_status from payment_events where payment_id = any($1)", [
      ids,
    ]),
    query<{ processor_reference: string }>(
      db,
      "select processor_reference from payments where created_at >= $1 and processor_reference is not null",
      [since],
    ),
    query<{ exists: boolean }>(db, "select to_regclass('public.network_operations') is not null as exists"),
  ]);
  const ledger = ((await control(`${dev.acquirer_admin}/ledger`, "GET")).json.entries ?? []) as (LedgerEntry & {
    terminal: string;
  })[];
  const byRrn = new Map(ledger.map((entry) => [entry.rrn, entry]));
  const owed = journal[0]?.exists
    ? await query(
        db,
        "select id, payment_id, kind, state, resolution, attempts, last_error from network_operations where payment_id = any($1) and state in ('recorded', 'sent', 'unknown')",
        [ids],
      )
    : null;
  const known = new Set(recent.map((row) => rrnOf(row.processor_reference)));
  const orphans = ledger.filter(
    (entry) =>
      entry.kind !== "refund" &&
      (entry.status === "approved" || entry.status === "captured") &&
      new Date(entry.createdAt).getTime() >= since.getTime() &&
      !known.has(entry.rrn),
  );
  const payments = await mapLimit(ids, 8, async (id): Promise<PaymentSnapshot> => {
    const [object, events] = await Promise.all([
      merchant(dev, "GET", `/v1/payments/${id}`),
      merchant(dev, "GET", `/v1/payments/${id}/events`),
    ]);
    const row = rows.find((r) => r.id === id) ?? null;
    const rrn = rrnOf(row?.processor_reference as string | null | undefined);
    return {
      id,
      object: object.status === 200 ? object.json : null,
      events: events.status === 200 ? (events.json.data as PaymentSnapshot["events"]) : [],
      row,
      refundRows: refundRows.filter((r) => r.payment_id === id),
      eventRows: eventRows
        .filter((r) => r.payment_id === id)
        .map((r) => ({
          sequence: Number(r.sequence),
          event_type: String(r.event_type),
          new_status: String(r.new_status),
        })),
      ledger: (rrn && byRrn.get(rrn)) || null,
    };
  });
  return { payments, orphanLedgerEntries: orphans, owedNetworkOperations: owed };
}
