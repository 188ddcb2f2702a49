import { DurableObject } from "cloudflare:workers";
import type { Owner } from "../../common/owner.js";
import { log } from "../../workers/logging/logger.js";
import type { CreatePaymentInput } from "../payment/payment.object.js";
import { type PendingEvent, publishEvents, sessionEvent } from "./checkout-events.js";
import { outcomeOf, type PaymentOutcome, paymentOutcome } from "./checkout-payment.js";
import { ownedBy, paysThis, reasonOf, sameSecret } from "./checkout-session-guards.js";
import {
  type CheckoutSessionRecord,
  type CheckoutSessionStatus,
  type CheckoutSessionView,
  canMove,
  checkoutSessionView,
} from "./checkout-session-record.js";
import { successRedirect } from "./success-redirect.js";

/** A new session as the create route hands it over (validated, with its page secret and key). */
export type NewCheckoutSession = Omit<
  CheckoutSessionRecord,
  "status" | "payment_status" | "payment" | "awaiting_approval" | "last_error" | "version"
>;

export type CreateAnswer =
  | { kind: "created"; session: CheckoutSessionView; replayed: boolean }
  | { kind: "key_reused" };

/** An expire: the session now, the state that forbids it, or null (not the owner's). */
export type ExpireAnswer = { session: CheckoutSessionView } | { state: CheckoutSessionStatus | "processing" } | null;

/** What the page's pay request ends in. */
export type PayAnswer =
  | { kind: "missing" }
  | { kind: "expired" }
  | { kind: "complete"; redirect: string }
  | { kind: "processing" }
  /** Waiting for the payer: sent to the wallet's approval page (`url`), or to approve in their UPI app. */
  | { kind: "approval"; url: string | null }
  | { kind: "unpaid"; error: { code: string; message: string } };

/** Where the session stands when the payer comes back from the wallet, or the page asks while UPI waits. */
export type ReturnAnswer =
  | { kind: "missing" }
  | { kind: "complete"; redirect: string }
  | { kind: "expired" }
  | { kind: "open"; waiting: boolean; error: { code: string; message: string } | null };

/** What the page says when a payment that waited for the payer ended without the money. */
const APPROVAL_ENDED = {
  paypal: "The PayPal payment did not go through. Try again, or pay another way.",
  upi: "The UPI payment was declined or not approved in time. Try again, or pay another way.",
} as const;

/**
 * A payment is waiting for the payer's approval: no other payment may start meanwhile, or both
 * could take the money. A UPI collect request lapses within minutes; a PayPal order the payer
 * cancelled at the wallet can still be approved from its page until it lapses (PayPal: 3 hours),
 * and the gateway cannot withdraw either, so a payer who turned PayPal down pays by PayPal again
 * (the same order) or waits for it to lapse.
 */
const APPROVAL_WAITING = {
  upi: {
    code: "upi_request_pending",
    message: "A UPI request is waiting in your UPI app. Approve or decline it there, or wait for it to expire.",
  },
  paypal: {
    code: "paypal_approval_pending",
    message:
      "A PayPal payment for this checkout is waiting for your approval. Approve it with PayPal, or wait until it lapses to pay another way.",
  },
} as const;

/**
 * A payment that may still take the money: one whose outcome is being resolved, or one the payer
 * may yet approve (a UPI collect request, a PayPal order: each lapses on its own, and the gateway
 * cannot withdraw either). The session is not expired under either; it expires once they end.
 */
function inFlight(session: CheckoutSessionRecord): boolean {
  return session.payment_status === "processing" || session.awaiting_approval != null;
}

/** After this long with an outcome unknown at expiry, the session asks its payment again. */
const RECHECK_MS = 30_000;
/** When to ask a waiting payment again: in RECHECK_MS, or at expiry if that comes first (and is still ahead). */
function nextAsk(session: CheckoutSessionRecord): number {
  const now = Date.now();
  return session.expires_at > now ? Math.min(now + RECHECK_MS, session.expires_at) : now + RECHECK_MS;
}

/** Postgres down: the outbox waits this long before the next try. */
const OUTBOX_RETRY_MS = 10_000;

/**
 * A hosted checkout session (issue 18): one SQLite-backed object per session, which owns the
 * session's one transition, `open` -> `complete` | `expired`, exactly once. Mutations run one at a
 * time under its lock, so two pays at once never make two payments: the second finds the session
 * complete. The payment itself is made by the payment's own object, as `POST /v1/payments` makes
 * it (workers/payments/create-payment.ts), under an Idempotency-Key derived from this session and
 * the card token (PayPal; the UPI ID), so a double submit of one card is one payment. A PayPal or
 * UPI payment waits for the payer (at the wallet, in their UPI app): the session asks it how it
 * stands when the payer comes back or the page asks, on the next pay and on its alarm, so the
 * session completes once, whichever notices first. The alarm
 * expires the session and drains its outbox of events to Postgres and the webhook queue.
 */
export class CheckoutSessionObject extends DurableObject<Env> {
  private lock: Promise<unknown> = Promise.resolve();

  /** Creates the session, or replays it for the same Idempotency-Key and parameters (DESIGN invariant 3). */
  async create(input: NewCheckoutSession): Promise<CreateAnswer> {
    return this.exclusive(async () => {
      const stored = await this.session();
      if (stored) {
        const same = stored.merchant_id === input.merchant_id && stored.livemode === input.livemode;
        if (!same || stored.request_hash !== input.request_hash) return { kind: "key_reused" };
        return { kind: "created", session: checkoutSessionView(stored), replayed: true };
      }
      const session: CheckoutSessionRecord = {
        ...input,
        status: "open",
        payment_status: "unpaid",
        payment: null,
        awaiting_approval: null,
        last_error: null,
        version: 1,
      };
      await this.ctx.storage.put("session", session);
      await this.ctx.storage.setAlarm(session.expires_at);
      return { kind: "created", session: checkoutSessionView(session), replayed: false };
    });
  }

  /** The session as its merchant sees it; null for no session, or another merchant's or mode's (invariant 6). */
  async retrieve(owner: Owner): Promise<CheckoutSessionView | null> {
    const session = await this.session();
    return session && ownedBy(session, owner) ? checkoutSessionView(session) : null;
  }

  /** The whole record, for the hosted page (the session id is the customer's capability). */
  async page(): Promise<CheckoutSessionRecord | null> {
    return (await this.session()) ?? null;
  }

  /** The merchant ends an open session; null when it is not the owner's, a state error when not open. */
  async expire(owner: Owner): Promise<ExpireAnswer> {
    return this.exclusive(async () => {
      let session = await this.session();
      if (!session || !ownedBy(session, owner)) return null;
      // A PayPal payment approved meanwhile completes the session rather than being expired under it.
      session = await this.resolve(session);
      if (session.status !== "open") return { state: session.status };
      // A payment in flight may still succeed: the session cannot be ended under it.
      if (inFlight(session)) return { state: "processing" };
      return { session: checkoutSessionView(await this.move(session, "expired")) };
    });
  }

  /**
   * The customer's pay request from the page: the page's secret must match, the session must be
   * open and in time, and no other payment may be in flight. The create goes to the payment's
   * object as prepared by the edge; its answer completes the session or leaves it open.
   */
  async pay(pageSecret: string, paymentObject: string, create: CreatePaymentInput): Promise<PayAnswer> {
    return this.exclusive(async () => {
      let session = await this.session();
      if (!session || !sameSecret(session.page_secret, pageSecret)) return { kind: "missing" };
      // The edge builds the create from this session; anything else is a bug, never a payment.
      if (!paysThis(session, create)) throw new Error(`checkout session ${session.id}: create does not match`);
      session = await this.resolve(session);
      if (session.status === "open" && Date.now() >= session.expires_at && !inFlight(session)) {
        session = await this.move(session, "expired");
      }
      if (session.status === "expired") return { kind: "expired" };
      if (session.status === "complete") return { kind: "complete", redirect: successRedirect(session) };
      if (session.payment_status === "processing") return { kind: "processing" };
      // Two payments the payer could both approve: the second waits for the first to end.
      const waiting = session.awaiting_approval;
      if (waiting && waiting.payment !== create.paymentId)
        return { kind: "unpaid", error: APPROVAL_WAITING[waiting.method] };
      // The intent first (DESIGN invariant 4a): if this instance dies during the call, the
      // session knows which payment to ask about before anything else happens.
      session = await this.save({
        ...session,
        payment: create.paymentId,
        payment_status: "processing",
        last_error: null,
      });
      const stub = this.env.PAYMENTS.get(this.env.PAYMENTS.idFromString(paymentObject));
      let outcome: PaymentOutcome;
      try {
        outcome = paymentOutcome(await stub.create(create));
      } catch {
        // The answer was lost: the payment may exist. It stays `processing` until asked (recheck).
        await this.ctx.storage.setAlarm(Date.now() + RECHECK_MS);
        return { kind: "processing" };
      }
      session = await this.settle(session, outcome);
      // Its outcome is being resolved by the payment's own alarm, or by the payer at the wallet:
      // the session asks again on its own (the payer may never come back through the return page).
      if (session.payment_status === "processing" || session.awaiting_approval) {
        await this.ctx.storage.setAlarm(nextAsk(session));
      }
      if (session.status === "complete") return { kind: "complete", redirect: successRedirect(session) };
      if (outcome.kind === "approval") return { kind: "approval", url: outcome.url };
      return outcome.kind === "unpaid" ? { kind: "unpaid", error: outcome.error } : { kind: "processing" };
    });
  }

  /**
   * The payer back from the wallet (or from cancelling there), or the page asking while a UPI
   * request waits: the session asks its waiting payment how it stands, so a return URL proves
   * nothing by itself and a repeat of it changes nothing.
   */
  async returned(): Promise<ReturnAnswer> {
    return this.exclusive(async () => {
      const stored = await this.session();
      if (!stored) return { kind: "missing" };
      const session = await this.resolve(stored);
      switch (session.status) {
        case "complete":
          return { kind: "complete", redirect: successRedirect(session) };
        case "expired":
          return { kind: "expired" };
        case "open": {
          const waiting = Boolean(session.awaiting_approval) || session.payment_status === "processing";
          return { kind: "open", waiting, error: waiting ? null : session.last_error };
        }
        default: {
          const unreachable: never = session.status;
          throw new Error(`unhandled session status ${String(unreachable)}`);
        }
      }
    });
  }

  /** Expiry on time, a payment's outcome asked again, and the outbox drained: whichever are due. */
  override async alarm(): Promise<void> {
    const next = await this.exclusive(async () => {
      let session = await this.session();
      if (!session) return null;
      session = await this.resolve(session);
      if (session.status === "open" && !inFlight(session) && Date.now() >= session.expires_at) {
        session = await this.move(session, "expired");
      }
      const outbox = (await this.ctx.storage.get<PendingEvent[]>("outbox")) ?? [];
      if (outbox.length > 0) {
        try {
          await publishEvents(this.env, session, outbox);
          await this.ctx.storage.delete("outbox");
        } catch (error) {
          log("warn", "checkout session events not recorded yet; the alarm retries", {
            checkout_session: session.id,
            error: reasonOf(error),
          });
          return Date.now() + OUTBOX_RETRY_MS;
        }
      }
      if (session.status !== "open") return null;
      const asking = session.payment_status === "processing" || Boolean(session.awaiting_approval);
      return asking ? nextAsk(session) : session.expires_at;
    });
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** An open session's payments asked how they stand: the one in flight, then one awaiting the payer. */
  private async resolve(session: CheckoutSessionRecord): Promise<CheckoutSessionRecord> {
    let current = session;
    if (current.status === "open" && current.payment_status === "processing") current = await this.recheck(current);
    if (current.status === "open" && current.payment_status !== "processing" && current.awaiting_approval) {
      current = await this.recheckApproval(current, current.awaiting_approval);
    }
    return current;
  }

  /**
   * The waiting payment as its object has it now: paid completes the session, still waiting changes
   * nothing, capturing after approval is in flight (recheck asks again), and an end without money
   * (declined, its order or request lapsed) leaves the session open for another way to pay.
   */
  private async recheckApproval(
    session: CheckoutSessionRecord,
    waiting: NonNullable<CheckoutSessionRecord["awaiting_approval"]>,
  ): Promise<CheckoutSessionRecord> {
    const found = (await this.retrievePayment(session, waiting.payment)) as { decline_code?: string | null } | null;
    const ended = { code: found?.decline_code ?? "payment_failed", message: APPROVAL_ENDED[waiting.method] };
    const outcome: PaymentOutcome = found
      ? outcomeOf(found as { id?: string; status?: string }, ended)
      : { kind: "unpaid", payment: null, error: { code: "payment_failed", message: "The payment was not made." } };
    if (outcome.kind === "approval") return session;
    return this.settle({ ...session, awaiting_approval: null }, outcome);
  }

  private retrievePayment(session: CheckoutSessionRecord, paymentId: string) {
    const hex = paymentId.slice("pay_".length);
    return this.env.PAYMENTS.get(this.env.PAYMENTS.idFromString(hex)).retrieve({
      merchantId: session.merchant_id,
      livemode: session.livemode,
    });
  }

  /** The in-flight payment as its object has it now (null: never created, so nothing is in flight). */
  private async recheck(session: CheckoutSessionRecord): Promise<CheckoutSessionRecord> {
    if (!session.payment) return this.save({ ...session, payment_status: "unpaid" });
    const found = await this.retrievePayment(session, session.payment);
    const outcome: PaymentOutcome = found
      ? outcomeOf(found as { id?: string; status?: string })
      : { kind: "unpaid", payment: null, error: { code: "payment_failed", message: "The payment was not made." } };
    return this.settle(session, outcome);
  }

  private async settle(session: CheckoutSessionRecord, outcome: PaymentOutcome): Promise<CheckoutSessionRecord> {
    switch (outcome.kind) {
      case "paid":
        return this.move({ ...session, payment: outcome.payment, payment_status: "paid" }, "complete");
      case "processing":
        return this.save({ ...session, payment: outcome.payment, payment_status: "processing" });
      case "approval":
        return this.save({
          ...session,
          payment: outcome.payment,
          payment_status: "unpaid",
          awaiting_approval: { payment: outcome.payment, method: outcome.method },
        });
      case "unpaid":
        return this.save({
          ...session,
          payment: outcome.payment ?? session.payment,
          payment_status: "unpaid",
          last_error: outcome.error,
        });
      default: {
        const unreachable: never = outcome;
        throw new Error(`unhandled outcome ${String(unreachable)}`);
      }
    }
  }

  /** The session's one transition, with its event in the outbox in the same write; the alarm sends it. */
  private async move(session: CheckoutSessionRecord, to: CheckoutSessionStatus): Promise<CheckoutSessionRecord> {
    if (!canMove(session.status, to)) throw new Error(`checkout session cannot move ${session.status} -> ${to}`);
    const moved: CheckoutSessionRecord = { ...session, status: to, version: session.version + 1 };
    const outbox = (await this.ctx.storage.get<PendingEvent[]>("outbox")) ?? [];
    await this.ctx.storage.put({ session: moved, outbox: [...outbox, sessionEvent(moved)] });
    await this.ctx.storage.setAlarm(Date.now());
    return moved;
  }

  private async save(session: CheckoutSessionRecord): Promise<CheckoutSessionRecord> {
    await this.ctx.storage.put("session", session);
    return session;
  }

  private session(): Promise<CheckoutSessionRecord | undefined> {
    return this.ctx.storage.get<CheckoutSessionRecord>("session");
  }

  /** One mutation at a time: a pay waits for the one before it and sees what it did. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => {});
    return run;
  }
}
