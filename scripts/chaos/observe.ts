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

/** A transaction as the UPI switch simulator books it (its admin API, simulators/upi-switch/admin-views.ts). */
export interface SwitchTxn {
  id: string;
  type: "PAY" | "COLLECT" | "REFUND";
  state: string;
  amount_paise: number;
  rrn: string;
  err_code: string | null;
  org_txn_id: string | null;
  created_at: string;
  legs: { kind: "DEBIT" | "CREDIT" | "REVERSAL"; status: string; amount_paise: number }[];
  refunds: { id: string; state: string; amount_paise: number }[];
  refunded_paise: number;
}

/** An order as the wallet simulator books it (its admin API, simulators/wallet/admin-views.ts): the fields the checks compare. */
export interface WalletOrder {
  id: string;
  intent: "CAPTURE" | "AUTHORIZE";
  /** EXPIRED: the order lapsed (to the wallet's API it no longer exists). */
  status: string;
  amount_minor: number;
  custom_id: string | null;
  captures: { id: string; status: string; amount_minor: number; authorization_id: string | null }[];
  authorizations: { id: string; status: string; amount_minor: number }[];
  refunds: { id: string; capture_id: string; status: string; amount_minor: number }[];
  created_at: string;
}

export interface PaymentSnapshot {
  id: string;
  object: Record<string, any> | null;
  events: { sequence: number; event_type: string; old_status: string | null; new_status: string }[];
  row: Record<string, any> | null;
  refundRows: Record<string, any>[];
  eventRows: { sequence: number; event_type: string; new_status: string }[];
  ledger: LedgerEntry | null;
  /** A UPI payment's transaction at the switch (by the switch transaction id the payment names), or null. */
  upi: SwitchTxn | null;
  /** The wallet's orders made for this payment (by `custom_id`, the payment's id): one at most. */
  wallet: WalletOrder[];
}

export interface Snapshot {
  payments: PaymentSnapshot[];
  /** Authorizations and sales booked at the acquirer since the campaign began that no payment of ours names. */
  orphanLedgerEntries: LedgerEntry[];
  /** Payments at the UPI switch since the campaign began, not failed, that no payment of ours names. */
  orphanSwitchTxns: SwitchTxn[];
  /** Orders at the wallet since the campaign began that took or hold money for no payment of ours. */
  orphanWalletOrders: WalletOrder[];
  /** The vault's journal rows still owed to the network, or null when the journal does not exist yet. */
  owedNetworkOperations: Record<string, any>[] | null;
}

const rrnOf = (reference: string | null | undefined) => (reference ? reference.split("-")[0] : undefined);

/**
 * Where a payment's authorization is booked: its processor's books, by its RRN. Payments from
 * before processors had ids recorded the network, at the one acquirer there was (A). A UPI
 * payment's RRN is the switch's (12 digits too): never an acquirer's entry.
 */
const bookKey = (processor: unknown, rrn: string | undefined) =>
  `${processor === "acquirer_b" || processor === "aggregator" || processor === "upi_switch" ? processor : "acquirer_a"}:${rrn}`;

/** A PaymentIntent as the aggregator simulator books it: the fields the checks compare. */
interface IntentEntry {
  id: string;
  status: string;
  captureMethod: "automatic" | "manual";
  amount: number;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  createdAt: string;
}

/**
 * The aggregator's PaymentIntent in the acquirers' terms, so one set of checks reads every
 * processor's books: held (`approved`), `captured`, released (`reversed`) or `declined`. What a
 * capture leaves of a hold is released at once (Stripe's partial capture).
 */
function asLedgerEntry(intent: IntentEntry): LedgerEntry & { acquirer: string } {
  const status =
    intent.capturedAmount > 0
      ? "captured"
      : intent.status === "requires_capture"
        ? "approved"
        : intent.status === "canceled"
          ? "reversed"
          : "declined";
  const released = status === "approved" || status === "declined" ? 0 : intent.authorizedAmount - intent.capturedAmount;
  return {
    acquirer: "aggregator",
    rrn: intent.id,
    kind: intent.captureMethod === "automatic" ? "sale" : "authorization",
    status,
    amount: intent.amount,
    authorizedAmount: intent.authorizedAmount,
    capturedAmount: intent.capturedAmount,
    refundedAmount: intent.refundedAmount,
    reversedAmount: released,
    createdAt: intent.createdAt,
  };
}

/** Every processor's books in the stack (both acquirers, the aggregator), each entry tagged with its processor. */
async function acquirerBooks(dev: DevJson) {
  const admins = {
    acquirer_a: dev.acquirer_admin,
    ...(dev.acquirer_b_admin ? { acquirer_b: dev.acquirer_b_admin } : {}),
  };
  const books = await Promise.all(
    Object.entries(admins).map(async ([acquirer, admin]) => {
      const entries = ((await control(`${admin}/ledger`, "GET")).json.entries ?? []) as LedgerEntry[];
      return entries.map((entry) => ({ ...entry, acquirer }));
    }),
  );
  const intents = dev.aggregator_admin
    ? (((await control(`${dev.aggregator_admin}/ledger`, "GET")).json.entries ?? []) as IntentEntry[])
    : [];
  return [...books.flat(), ...intents.map(asLedgerEntry)];
}

/** The UPI switch's books: every transaction and refund, with legs (one call: the simulator keeps them in memory). */
async function switchBooks(dev: DevJson): Promise<SwitchTxn[]> {
  const answer = await control(`${dev.upi_switch_admin}/transactions`, "GET");
  if (answer.status !== 200) throw new Error(`the UPI switch's books: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json.transactions as SwitchTxn[];
}

/** The wallet's books: every order with its captures, authorizations and refunds (one call). */
async function walletBooks(dev: DevJson): Promise<WalletOrder[]> {
  const answer = await control(`${dev.wallet_admin}/orders`, "GET");
  if (answer.status !== 200) throw new Error(`the wallet's books: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json.orders as WalletOrder[];
}

/** Whether an order took money (a capture not declined) or holds it (an authorization not captured or voided). */
export function orderMoved(order: WalletOrder): boolean {
  return (
    order.captures.some((capture) => capture.status !== "DECLINED") ||
    order.authorizations.some((authorization) => authorization.status !== "VOIDED")
  );
}

/**
 * Reads everything the checks compare: the objects, Postgres, the acquirer's books, the UPI
 * switch's books, the wallet's orders, the vault's journal.
 */
export async function observe(dev: DevJson, ids: string[], since: Date): Promise<Snapshot> {
  const db = dev.database_url;
  const [rows, refundRows, eventRows, named, namedUpi, namedWallet, journal] = await Promise.all([
    query(db, "select * from payments where id = any($1)", [ids]),
    query(db, "select id, payment_id, status, amount from refunds where payment_id = any($1)", [ids]),
    query(db, "select payment_id, sequence, event_type, new_status from payment_events where payment_id = any($1)", [
      ids,
    ]),
    // Every payment, not only this campaign's: a payment made just before it began may book its
    // transaction after (a campaign run right after another on one stack).
    query<{ processor: string; processor_reference: string }>(
      db,
      "select processor, processor_reference from payments where processor_reference is not null",
    ),
    query<{ txn_id: string }>(db, "select upi->>'txn_id' as txn_id from payments where upi is not null"),
    query<{ id: string }>(db, "select id from payments where wallet is not null"),
    query<{ exists: boolean }>(db, "select to_regclass('public.network_operations') is not null as exists"),
  ]);
  const [ledger, switchTxns, walletOrders] = await Promise.all([
    acquirerBooks(dev),
    switchBooks(dev),
    walletBooks(dev),
  ]);
  const atSwitch = new Map(switchTxns.map((txn) => [txn.id, txn]));
  const booked = new Map(ledger.map((entry) => [bookKey(entry.acquirer, entry.rrn), entry]));
  const owed = journal[0]?.exists
    ? await query(
        db,
        "select id, payment_id, kind, state, resolution, attempts, last_error from network_operations where payment_id = any($1) and state in ('recorded', 'sent', 'unknown')",
        [ids],
      )
    : null;
  const known = new Set(named.map((row) => bookKey(row.processor, rrnOf(row.processor_reference))));
  const orphans = ledger.filter(
    (entry) =>
      entry.kind !== "refund" &&
      (entry.status === "approved" || entry.status === "captured") &&
      new Date(entry.createdAt).getTime() >= since.getTime() &&
      !known.has(bookKey(entry.acquirer, entry.rrn)),
  );
  const payments = await mapLimit(ids, 8, async (id): Promise<PaymentSnapshot> => {
    const [object, events] = await Promise.all([
      merchant(dev, "GET", `/v1/payments/${id}`),
      merchant(dev, "GET", `/v1/payments/${id}/events`),
    ]);
    const row = rows.find((r) => r.id === id) ?? null;
    const rrn = rrnOf(row?.processor_reference as string | null | undefined);
    // A UPI payment's transaction id is on the object from its first write, before the ReqPay goes.
    const projectedUpi = row?.upi as { txn_id?: string } | null | undefined;
    const txnId = (object.json.payment_method?.upi?.transaction_id ?? projectedUpi?.txn_id) as string | undefined;
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
      ledger: (rrn && booked.get(bookKey(row?.processor, rrn))) || null,
      upi: (txnId && atSwitch.get(txnId)) || null,
      wallet: walletOrders.filter((order) => order.custom_id === id),
    };
  });
  // Every payment at the switch was named by a payment before its ReqPay went: one that no payment
  // names, and that took money or still may, is money the gateway does not know it moved.
  const knownUpi = new Set([
    ...namedUpi.map((row) => row.txn_id),
    ...payments.map((p) => p.object?.payment_method?.upi?.transaction_id as string | undefined),
  ]);
  const orphanSwitchTxns = switchTxns.filter(
    (txn) =>
      txn.type !== "REFUND" &&
      txn.state !== "FAILURE" &&
      new Date(txn.created_at).getTime() >= since.getTime() &&
      !knownUpi.has(txn.id),
  );
  // Every order names its payment (`custom_id`), which was written before the order's creation
  // went: one naming no payment of the gateway's, that took or holds money, is money nobody tracks.
  const knownWallet = new Set([...namedWallet.map((row) => row.id), ...ids]);
  const orphanWalletOrders = walletOrders.filter(
    (order) =>
      new Date(order.created_at).getTime() >= since.getTime() &&
      !knownWallet.has(order.custom_id ?? "") &&
      orderMoved(order),
  );
  return { payments, orphanLedgerEntries: orphans, orphanSwitchTxns, orphanWalletOrders, owedNetworkOperations: owed };
}
