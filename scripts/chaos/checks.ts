import { upiCode } from "../../common/upi/upi-codes.js";
import type { LedgerEntry, PaymentSnapshot, Snapshot, SwitchTxn, WalletOrder } from "./observe.js";

const CAPTURED = new Set(["captured", "partially_refunded", "refunded"]);

/**
 * Not yet definite: a card payment still `created` or `processing`; a UPI payment still
 * `processing` (its ReqPay unanswered) or `requires_action` (the switch has it, the payer's turn);
 * a wallet payment likewise (its order unanswered, or waiting at the approval page: the campaign's
 * payers all approve, or their orders lapse, before it checks).
 */
const UNSETTLED = new Set(["created", "processing", "requires_action"]);

/** (i) A definite state: no status, capture or refund still being resolved. */
function definite(object: Record<string, any>): string[] {
  const problems: string[] = [];
  if (UNSETTLED.has(object.status)) problems.push(`status is ${object.status}`);
  if (object.capture_status === "pending") problems.push("capture_status is pending");
  if (object.pending_operation) problems.push(`pending_operation ${JSON.stringify(object.pending_operation)}`);
  for (const refund of object.refunds ?? []) {
    if (refund.status === "pending") problems.push(`refund ${refund.id} is pending`);
  }
  const succeeded = (object.refunds ?? [])
    .filter((refund: { status: string }) => refund.status === "succeeded")
    .reduce((sum: number, refund: { amount: number }) => sum + refund.amount, 0);
  if (object.amount_captured > object.amount) problems.push("captured more than the amount");
  if (object.amount_refunded > object.amount_captured) problems.push("refunded more than captured");
  if (succeeded !== object.amount_refunded) {
    problems.push(`succeeded refunds add up to ${succeeded}, amount_refunded is ${object.amount_refunded}`);
  }
  return problems;
}

/** (ii) The Postgres projection equals the object: status, amounts, version, each refund. */
function projected(object: Record<string, any>, p: PaymentSnapshot): string[] {
  if (!p.row) return ["no row in Postgres payments"];
  const problems: string[] = [];
  for (const field of ["status", "amount", "amount_capturable", "amount_captured", "amount_refunded", "version"]) {
    const row = field === "status" ? p.row[field] : Number(p.row[field]);
    if (row !== object[field]) problems.push(`Postgres ${field} ${row} != object ${object[field]}`);
  }
  const rows = new Map(p.refundRows.map((row) => [row.id as string, row]));
  for (const refund of object.refunds ?? []) {
    const row = rows.get(refund.id);
    if (!row) problems.push(`refund ${refund.id} missing in Postgres`);
    else if (row.status !== refund.status || Number(row.amount) !== refund.amount) {
      problems.push(
        `refund ${refund.id}: Postgres ${row.status}/${row.amount} != object ${refund.status}/${refund.amount}`,
      );
    }
    rows.delete(refund.id);
  }
  for (const id of rows.keys()) problems.push(`refund ${id} in Postgres but not on the object`);
  if (object.payment_method?.type === "upi") {
    const row = (p.row.upi ?? null) as { txn_id?: string; rrn?: string | null } | null;
    const upi = object.payment_method.upi;
    if (row?.txn_id !== upi?.transaction_id || (row?.rrn ?? null) !== upi?.rrn) {
      problems.push(`Postgres upi ${row?.txn_id}/${row?.rrn} != object ${upi?.transaction_id}/${upi?.rrn}`);
    }
  }
  if (object.payment_method?.type === "paypal") {
    const row = (p.row.wallet ?? null) as Record<string, unknown> | null;
    const paypal = object.payment_method.paypal ?? {};
    if (!row) problems.push("Postgres has no wallet for a paypal payment");
    for (const field of ["order_id", "payer_id", "payer_email", "capture_id", "authorization_id"]) {
      if (row && (row[field] ?? null) !== (paypal[field] ?? null)) {
        problems.push(`Postgres wallet ${field} ${row[field]} != object ${paypal[field]}`);
      }
    }
  }
  if (Boolean(p.row.next_action) !== Boolean(object.next_action)) {
    problems.push(
      `Postgres next_action ${JSON.stringify(p.row.next_action)} != object ${JSON.stringify(object.next_action)}`,
    );
  }
  return problems;
}

/** The ledger's amounts; simulators before the per-kind amounts get them from the status. */
function ledgerAmounts(entry: LedgerEntry) {
  const approved = entry.status !== "declined";
  const authorized = entry.authorizedAmount ?? (approved ? entry.amount : 0);
  const reversed = entry.reversedAmount ?? (entry.status === "reversed" ? entry.amount : 0);
  return { captured: entry.capturedAmount, refunded: entry.refundedAmount, authorized, reversed, status: entry.status };
}

/** (iii) The acquirer's books agree with the object, to the minor unit. */
function booked(object: Record<string, any>, p: PaymentSnapshot): string[] {
  const reference = p.row?.processor_reference as string | null | undefined;
  const entry = p.ledger;
  if (CAPTURED.has(object.status)) {
    if (!reference || !entry) return [`${object.status} but no acquirer transaction (reference ${reference})`];
    const books = ledgerAmounts(entry);
    const problems: string[] = [];
    if (books.status !== "captured") problems.push(`${object.status} at the gateway, ${books.status} at the acquirer`);
    if (books.captured !== object.amount_captured) {
      problems.push(`acquirer captured ${books.captured}, object ${object.amount_captured}`);
    }
    if (books.refunded !== object.amount_refunded) {
      problems.push(`acquirer refunded ${books.refunded}, object ${object.amount_refunded}`);
    }
    return problems;
  }
  if (!entry) return object.status === "authorized" ? ["authorized but no acquirer transaction"] : [];
  const books = ledgerAmounts(entry);
  const held = books.authorized - books.reversed;
  if (books.captured > 0) return [`${object.status} at the gateway but captured ${books.captured} at the acquirer`];
  if (object.status === "authorized") {
    return books.status === "approved" && held === object.amount
      ? []
      : [`authorized ${object.amount} at the gateway, ${books.status} holding ${held} at the acquirer`];
  }
  // voided or failed: nothing may stay held on the card.
  return held > 0 ? [`${object.status} at the gateway, ${books.status} still holding ${held} at the acquirer`] : [];
}

/** What the switch's legs moved for a txn: debits not reversed, and credits, in paise. */
function moved(txn: SwitchTxn) {
  const sum = (kind: string) =>
    txn.legs
      .filter((leg) => leg.kind === kind && leg.status === "SUCCESS")
      .reduce((total, leg) => total + leg.amount_paise, 0);
  return { debited: sum("DEBIT") - sum("REVERSAL"), credited: sum("CREDIT") };
}

const sorted = (amounts: number[]) => [...amounts].sort((a, b) => a - b).join(",");

/**
 * (iii), UPI (issue 14): the switch's books agree with the object. Captured: the switch's
 * transaction is SUCCESS, for the amount, under the RRN the payment shows. Failed or expired: it
 * moved no money (no transaction at all, or FAILURE with any debit reversed and nothing
 * credited), ended for the reason the payment gives (U69 for expired, the mapped code for
 * failed). Refunded: `amount_refunded` is the switch's SUCCESS refunds of that transaction, one
 * for each succeeded refund, and none of them is still moving.
 */
function switched(object: Record<string, any>, p: PaymentSnapshot): string[] {
  const upi = object.payment_method.upi ?? {};
  const txn = p.upi;
  if (CAPTURED.has(object.status)) {
    if (!txn) return [`${object.status} but the switch has no transaction ${upi.transaction_id}`];
    const problems: string[] = [];
    if (txn.state !== "SUCCESS") problems.push(`${object.status} at the gateway, ${txn.state} at the switch`);
    if (txn.amount_paise !== object.amount || object.amount_captured !== object.amount) {
      problems.push(
        `switch moved ${txn.amount_paise} paise, object amount ${object.amount} captured ${object.amount_captured}`,
      );
    }
    const { debited, credited } = moved(txn);
    if (debited !== txn.amount_paise || credited !== txn.amount_paise) {
      problems.push(`switch legs debited ${debited}, credited ${credited} of ${txn.amount_paise}`);
    }
    if (txn.rrn !== upi.rrn) problems.push(`switch RRN ${txn.rrn}, object RRN ${upi.rrn}`);
    return [...problems, ...refundsAtSwitch(object, txn)];
  }
  if (object.status !== "failed" && object.status !== "expired") return [];
  if (!txn) return object.status === "expired" ? ["expired but the switch has no transaction"] : [];
  const problems: string[] = [];
  const { debited, credited } = moved(txn);
  if (txn.state !== "FAILURE") problems.push(`${object.status} at the gateway, ${txn.state} at the switch`);
  if (debited !== 0 || credited !== 0) {
    problems.push(`${object.status} at the gateway, the switch debited ${debited} and credited ${credited} paise`);
  }
  if (txn.state === "FAILURE") {
    if ((object.status === "expired") !== (txn.err_code === "U69")) {
      problems.push(`${object.status} at the gateway, ${txn.err_code} at the switch`);
    } else if (object.status === "failed" && object.decline_code !== upiCode(txn.err_code ?? undefined).declineCode) {
      problems.push(`failed with ${object.decline_code} at the gateway, ${txn.err_code} at the switch`);
    }
  }
  if (txn.refunds.length > 0) problems.push(`${object.status} but the switch has ${txn.refunds.length} refunds of it`);
  return problems;
}

function refundsAtSwitch(object: Record<string, any>, txn: SwitchTxn): string[] {
  const problems: string[] = [];
  const done = txn.refunds.filter((refund) => refund.state === "SUCCESS");
  const total = done.reduce((sum, refund) => sum + refund.amount_paise, 0);
  if (total !== object.amount_refunded) {
    problems.push(`switch refunded ${total} paise, object amount_refunded ${object.amount_refunded}`);
  }
  const succeeded = (object.refunds ?? []).filter((refund: { status: string }) => refund.status === "succeeded");
  const ours = sorted(succeeded.map((refund: { amount: number }) => refund.amount));
  const theirs = sorted(done.map((refund) => refund.amount_paise));
  if (ours !== theirs) problems.push(`succeeded refunds [${ours}] at the gateway, [${theirs}] at the switch`);
  for (const refund of txn.refunds) {
    if (refund.state !== "SUCCESS" && refund.state !== "FAILURE") {
      problems.push(`switch refund ${refund.id} still ${refund.state}`);
    }
  }
  return problems;
}

const TAKEN = new Set(["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"]);
const total = (amounts: number[]) => amounts.reduce((sum, amount) => sum + amount, 0);

/** What the wallet's open authorizations of an order still hold: each one's amount less its captures not declined. */
function held(order: WalletOrder): number {
  return total(
    order.authorizations
      .filter((authorization) => authorization.status === "CREATED" || authorization.status === "PARTIALLY_CAPTURED")
      .map(
        (authorization) =>
          authorization.amount_minor -
          total(
            order.captures
              .filter((capture) => capture.authorization_id === authorization.id && capture.status !== "DECLINED")
              .map((capture) => capture.amount_minor),
          ),
      ),
  );
}

/**
 * (iii), the wallet (issue 15): the wallet's books agree with the object. The payment has one
 * order at most (found by `custom_id`, the payment's id), the one it names; never two captures
 * (one not declined) for one payment; the completed captures add up to `amount_captured` (none at
 * all for a failed, expired or voided payment), and the one the payment names is among them;
 * nothing still PENDING at the wallet once the gateway has decided; the wallet's refunds add up to
 * `amount_refunded`, one for each succeeded refund; an authorized payment's authorization holds
 * `amount_capturable` and any other payment's holds nothing; an expired payment's order lapsed.
 */
function walleted(object: Record<string, any>, p: PaymentSnapshot): string[] {
  const paypal = object.payment_method.paypal ?? {};
  const orders = p.wallet;
  const problems: string[] = [];
  if (orders.length > 1) {
    problems.push(
      `${orders.length} orders at the wallet for one payment: ${orders.map((order) => order.id).join(",")}`,
    );
  }
  if (paypal.order_id && !orders.some((order) => order.id === paypal.order_id)) {
    problems.push(`the payment names order ${paypal.order_id}, which the wallet has not for this payment`);
  }
  if (!paypal.order_id && orders.length > 0) {
    problems.push(`the payment names no order, the wallet has ${orders.map((order) => order.id).join(",")} for it`);
  }
  const captures = orders.flatMap((order) => order.captures);
  const live = captures.filter((capture) => capture.status !== "DECLINED");
  if (live.length > 1) {
    problems.push(
      `${live.length} captures at the wallet: ${live.map((c) => `${c.id} ${c.status} ${c.amount_minor}`).join(", ")}`,
    );
  }
  const taken = captures.filter((capture) => TAKEN.has(capture.status));
  const captured = total(taken.map((capture) => capture.amount_minor));
  if (!CAPTURED.has(object.status) && captured > 0) {
    problems.push(`${object.status} at the gateway, the wallet captured ${captured}`);
  } else if (captured !== object.amount_captured) {
    problems.push(`the wallet captured ${captured}, object amount_captured ${object.amount_captured}`);
  }
  if (CAPTURED.has(object.status) && !taken.some((capture) => capture.id === paypal.capture_id)) {
    problems.push(`the payment names capture ${paypal.capture_id}, not a completed capture at the wallet`);
  }
  for (const capture of captures) {
    if (capture.status === "PENDING" && object.capture_status !== "pending") {
      problems.push(`capture ${capture.id} still PENDING at the wallet, ${object.status} at the gateway`);
    }
  }
  const refunds = orders.flatMap((order) => order.refunds);
  const done = refunds.filter((refund) => refund.status === "COMPLETED");
  const refunded = total(done.map((refund) => refund.amount_minor));
  if (refunded !== object.amount_refunded) {
    problems.push(`the wallet refunded ${refunded}, object amount_refunded ${object.amount_refunded}`);
  }
  const succeeded = (object.refunds ?? []).filter((refund: { status: string }) => refund.status === "succeeded");
  const ours = sorted(succeeded.map((refund: { amount: number }) => refund.amount));
  const theirs = sorted(done.map((refund) => refund.amount_minor));
  if (ours !== theirs) problems.push(`succeeded refunds [${ours}] at the gateway, [${theirs}] at the wallet`);
  const holds = total(orders.map(held));
  if (object.status === "authorized") {
    if (holds !== object.amount_capturable) {
      problems.push(`authorized for ${object.amount_capturable} at the gateway, the wallet holds ${holds}`);
    }
  } else if (holds > 0) {
    problems.push(`${object.status} at the gateway, the wallet still holds ${holds} on an authorization`);
  }
  if (object.status === "expired") {
    const order = orders.find((found) => found.id === paypal.order_id);
    if (order && order.status !== "EXPIRED")
      problems.push(`expired at the gateway, order ${order.id} ${order.status} at the wallet`);
  }
  return problems;
}

/** (iv) One event per transition, the same in the object and in Postgres: 1..n, no gap, no duplicate. */
function logged(object: Record<string, any>, p: PaymentSnapshot): string[] {
  const problems: string[] = [];
  const sequences = p.events.map((event) => event.sequence);
  if (sequences.some((sequence, i) => sequence !== i + 1))
    problems.push(`object event sequences ${sequences.join(",")}`);
  p.events.forEach((event, i) => {
    const before = p.events[i - 1];
    if (before && event.old_status !== before.new_status) {
      problems.push(
        `event ${event.sequence} starts from ${event.old_status}, the previous ended in ${before.new_status}`,
      );
    }
  });
  if (p.events.at(-1)?.new_status !== object.status) problems.push(`last event ends in ${p.events.at(-1)?.new_status}`);
  const rows = [...p.eventRows].sort((a, b) => a.sequence - b.sequence);
  const rowSequences = rows.map((row) => row.sequence).join(",");
  if (rowSequences !== sequences.join(","))
    problems.push(`Postgres event sequences ${rowSequences} != object ${sequences.join(",")}`);
  for (const row of rows) {
    const event = p.events[row.sequence - 1];
    if (event && (event.event_type !== row.event_type || event.new_status !== row.new_status)) {
      problems.push(
        `event ${row.sequence}: Postgres ${row.event_type}->${row.new_status}, object ${event.event_type}->${event.new_status}`,
      );
    }
  }
  return problems;
}

/** Checks (i)-(iv) and (vi) per payment (the acquirers', the UPI switch's or the wallet's books); an empty map is a pass. */
export function evaluate(snapshot: Snapshot): Map<string, string[]> {
  const problems = new Map<string, string[]>();
  for (const p of snapshot.payments) {
    const books = (object: Record<string, any>) =>
      object.payment_method?.type === "upi"
        ? switched(object, p)
        : object.payment_method?.type === "paypal"
          ? walleted(object, p)
          : booked(object, p);
    const found = p.object
      ? [...definite(p.object), ...projected(p.object, p), ...books(p.object), ...logged(p.object, p)]
      : ["GET /v1/payments/{id} did not answer 200"];
    if (found.length > 0) problems.set(p.id, found);
  }
  for (const entry of snapshot.orphanLedgerEntries) {
    const list = problems.get("acquirer") ?? [];
    list.push(`transaction ${entry.rrn} (${entry.kind}, ${entry.status}, ${entry.amount}) belongs to no payment`);
    problems.set("acquirer", list);
  }
  for (const txn of snapshot.orphanSwitchTxns) {
    const list = problems.get("upi switch") ?? [];
    list.push(`transaction ${txn.id} (${txn.type}, ${txn.state}, ${txn.amount_paise} paise) belongs to no payment`);
    problems.set("upi switch", list);
  }
  for (const order of snapshot.orphanWalletOrders) {
    const list = problems.get("wallet") ?? [];
    list.push(
      `order ${order.id} (${order.intent}, ${order.status}, ${order.amount_minor}, custom_id ${order.custom_id}) took or holds money for no payment`,
    );
    problems.set("wallet", list);
  }
  for (const row of snapshot.owedNetworkOperations ?? []) {
    const list = problems.get(row.payment_id) ?? [];
    list.push(`vault still owes ${row.kind} ${row.id}: ${row.state}/${row.resolution} after ${row.attempts} attempts`);
    problems.set(row.payment_id, list);
  }
  return problems;
}
