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
  "status" | "payment_status" | "payment" | "last_error" | "version"
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
  | { kind: "unpaid"; error: { code: string; message: string } };

/** After this long with an outcome unknown at expiry, the session asks its payment again. */
const RECHECK_MS = 30_000;
/** Postgres down: the outbox waits this long before the next try. */
const OUTBOX_RETRY_MS = 10_000;

/**
 * A hosted checkout session (issue 18): one SQLite-backed object per session, which owns the
 * session's one transition, `open` -> `complete` | `expired`, exactly once. Mutations run one at a
 * time under its lock, so two pays at once never make two payments: the second finds the session
 * complete. The payment itself is made by the payment's own object, as `POST /v1/payments` makes
 * it (workers/payments/create-payment.ts), under an Idempotency-Key derived from this session and
 * the card token, so a double submit of one card is one payment. The alarm expires the session and
 * drains its outbox of events to Postgres and the webhook queue.
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
      if (session.status === "open" && session.payment_status === "processing") session = await this.recheck(session);
      if (session.status !== "open") return { state: session.status };
      // A payment in flight may still succeed: the session cannot be ended under it.
      if (session.payment_status === "processing") return { state: "processing" };
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
      if (session.status === "open" && session.payment_status === "processing") session = await this.recheck(session);
      if (session.status === "open" && Date.now() >= session.expires_at && session.payment_status !== "processing") {
        session = await this.move(session, "expired");
      }
      if (session.status === "expired") return { kind: "expired" };
      if (session.status === "complete") return { kind: "complete", redirect: successRedirect(session) };
      if (session.payment_status === "processing") return { kind: "processing" };
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
      // Its outcome is being resolved by the payment's own alarm: the session asks again on its own.
      if (session.payment_status === "processing") await this.ctx.storage.setAlarm(Date.now() + RECHECK_MS);
      if (session.status === "complete") return { kind: "complete", redirect: successRedirect(session) };
      return outcome.kind === "unpaid" ? { kind: "unpaid", error: outcome.error } : { kind: "processing" };
    });
  }

  /** Expiry on time, a payment's outcome asked again, and the outbox drained: whichever are due. */
  override async alarm(): Promise<void> {
    const next = await this.exclusive(async () => {
      let session = await this.session();
      if (!session) return null;
      if (session.status === "open" && session.payment_status === "processing") session = await this.recheck(session);
      if (session.status === "open" && session.payment_status !== "processing" && Date.now() >= session.expires_at) {
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
      return session.payment_status === "processing" ? Date.now() + RECHECK_MS : session.expires_at;
    });
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** The in-flight payment as its object has it now (null: never created, so nothing is in flight). */
  private async recheck(session: CheckoutSessionRecord): Promise<CheckoutSessionRecord> {
    if (!session.payment) return this.save({ ...session, payment_status: "unpaid" });
    const hex = session.payment.slice("pay_".length);
    const found = await this.env.PAYMENTS.get(this.env.PAYMENTS.idFromString(hex)).retrieve({
      merchantId: session.merchant_id,
      livemode: session.livemode,
    });
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
