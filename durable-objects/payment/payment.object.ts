import { DurableObject } from "cloudflare:workers";
import type { AuthorizeResponse } from "../../common/vault-internal-api.js";
import { vault } from "../../workers/vault/vault-client.js";
import { newPaymentRecord, type PaymentRecord, type PaymentReply, type RefundRecord } from "./payment-record.js";
import { replies } from "./payment-replies.js";
import {
  followUpRequest,
  resolveUnknown,
  settleAuthorization,
  voidExpiredAuthorization,
} from "./payment-resolution.js";
import { PaymentStore, SCHEMA } from "./payment-store.js";
import { errorBody, paymentView } from "./payment-view.js";

export interface CreatePaymentInput {
  requestId: string;
  paymentId: string;
  merchantId: string;
  livemode: boolean;
  idempotencyKey: string | null;
  requestHash: string;
  amount: number;
  currency: string;
  captureMethod: "automatic" | "manual";
  token: string;
  description: string | null;
  metadata: Record<string, string>;
  customerId: string | null;
}

export interface FollowUpInput {
  requestId: string;
  merchantId: string;
  idempotencyKey: string | null;
  requestHash: string;
  amount?: number;
  reason?: string | null;
  refundId?: string;
}

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * The payment orchestrator: one SQLite-backed Durable Object per payment. Mutations run one at a
 * time (an in-object lock that reads do not wait for), each transition is one storage transaction
 * (state + event + outbox), and the alarm drains the outbox to the `payment-events` queue and
 * resolves unknown processor outcomes by inquiry. Idempotency keys are recorded synchronously
 * before any await, so a concurrent duplicate sees "in flight" and gets 409.
 */
export class PaymentObject extends DurableObject<Env> {
  private readonly store: PaymentStore;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new PaymentStore(ctx.storage);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(SCHEMA);
    });
  }

  /** The payment as its merchant sees it, or null (no such payment, or another merchant's). */
  async retrieve(merchantId: string): Promise<ReturnType<typeof paymentView> | null> {
    const payment = this.store.payment();
    return payment && payment.merchant_id === merchantId ? paymentView(payment, this.store.refunds()) : null;
  }

  /** The transition log, oldest first (for the API and the tests). */
  async events(merchantId: string) {
    const payment = this.store.payment();
    return payment && payment.merchant_id === merchantId ? this.store.events() : null;
  }

  async create(input: CreatePaymentInput): Promise<PaymentReply> {
    return this.idempotent(input.idempotencyKey ?? "create", input.requestHash, input.requestId, () =>
      this.authorize(input),
    );
  }

  async capture(input: FollowUpInput): Promise<PaymentReply> {
    return this.followUp(input, "capture", async (payment) => {
      if (payment.status !== "authorized") return replies.unexpectedState(input.requestId, payment.status, "capture");
      const amount = input.amount ?? payment.amount_capturable;
      if (amount <= 0 || amount > payment.amount_capturable) {
        return replies.invalidParam(
          input.requestId,
          "amount_to_capture",
          `must be between 1 and ${payment.amount_capturable}`,
        );
      }
      const outcome = await vault.capture(this.env, followUpRequest(payment, amount), payment.id);
      if (outcome.outcome !== "approved") return replies.processorRefused(input.requestId, outcome, this.view(payment));
      // Capturing less than authorized releases the rest (amount_capturable drops to 0).
      this.store.transition("captured", { amount_captured: amount, amount_capturable: 0, void_at: null }, { amount });
      return this.ok();
    });
  }

  async cancel(input: FollowUpInput): Promise<PaymentReply> {
    return this.followUp(input, "cancel", async (payment) => {
      if (payment.status !== "authorized") return replies.unexpectedState(input.requestId, payment.status, "cancel");
      const outcome = await vault.void(this.env, followUpRequest(payment, payment.amount), payment.id);
      if (outcome.outcome !== "approved") return replies.processorRefused(input.requestId, outcome, this.view(payment));
      this.store.transition("voided", { amount_capturable: 0, void_at: null });
      return this.ok();
    });
  }

  async refund(input: FollowUpInput): Promise<PaymentReply> {
    return this.followUp(input, "refund", async (payment) => {
      if (payment.status !== "captured" && payment.status !== "partially_refunded") {
        return replies.unexpectedState(input.requestId, payment.status, "refund");
      }
      const remaining = payment.amount_captured - payment.amount_refunded;
      const amount = input.amount ?? remaining;
      if (amount <= 0 || amount > remaining) {
        return replies.invalidParam(
          input.requestId,
          "amount",
          `must be between 1 and ${remaining}, the captured amount not yet refunded`,
        );
      }
      const outcome = await vault.refund(this.env, followUpRequest(payment, amount), payment.id);
      if (outcome.outcome !== "approved") return replies.processorRefused(input.requestId, outcome, this.view(payment));
      const now = new Date().toISOString();
      const refund: RefundRecord = {
        id: input.refundId ?? `re_${crypto.randomUUID().replaceAll("-", "")}`,
        payment_id: payment.id,
        merchant_id: payment.merchant_id,
        idempotency_key: input.idempotencyKey,
        amount,
        currency: payment.currency,
        status: "succeeded",
        reason: input.reason ?? null,
        failure_code: null,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      const refunded = payment.amount_refunded + amount;
      const to = refunded === payment.amount_captured ? "refunded" : "partially_refunded";
      this.store.transition(to, { amount_refunded: refunded }, { refund: refund.id, amount }, [refund]);
      return this.ok();
    });
  }

  /** Drains the outbox to the queue, resolves an unknown outcome, expires old idempotency keys. */
  override async alarm(): Promise<void> {
    this.store.expireIdempotency(IDEMPOTENCY_TTL_MS);
    await this.exclusive(() => resolveUnknown(this.store, this.env));
    await this.exclusive(() => voidExpiredAuthorization(this.store, this.env));
    const pending = this.store.outbox(100);
    if (pending.length > 0) {
      try {
        await this.env.PAYMENT_EVENTS.sendBatch(pending.map((row) => ({ body: row.body, contentType: "json" })));
        this.store.deleteOutbox(pending.at(-1)?.sequence ?? 0);
      } catch {
        // The queue is unavailable: the messages stay in the outbox and the alarm comes back.
      }
    }
    const payment = this.store.payment();
    const due = [
      this.store.outbox(1).length > 0 ? Date.now() + 5_000 : null,
      payment?.status === "processing" && payment.resolve_at ? new Date(payment.resolve_at).getTime() : null,
      payment?.status === "authorized" && payment.void_at ? new Date(payment.void_at).getTime() : null,
    ].filter((time): time is number => time !== null);
    if (due.length > 0) await this.ctx.storage.setAlarm(Math.min(...due));
  }

  private async authorize(input: CreatePaymentInput): Promise<PaymentReply> {
    const existing = this.store.payment();
    if (existing) return { status: 200, body: paymentView(existing, this.store.refunds()) };
    const record = newPaymentRecord({ ...input, id: input.paymentId });
    this.store.create(record);
    this.store.transition("processing", {});
    let outcome: AuthorizeResponse;
    try {
      outcome = await vault.authorize(this.env, {
        merchant_id: input.merchantId,
        payment_id: input.paymentId,
        token: input.token,
        amount: input.amount,
        currency: input.currency,
        capture: input.captureMethod === "automatic",
      });
    } catch (error) {
      // The vault refused the request itself (an unknown token is the common case).
      const missing = error instanceof Error && /answered 404/.test(error.message);
      const failed = this.store.transition("failed", { decline_code: missing ? "invalid_token" : "processing_error" });
      return missing
        ? {
            status: 400,
            body: errorBody(
              input.requestId,
              "invalid_request_error",
              "resource_missing",
              `No such token: '${input.token}'.`,
              { param: "payment_method[token]", payment: this.view(failed) },
            ),
          }
        : {
            status: 502,
            body: errorBody(
              input.requestId,
              "api_error",
              "processor_unavailable",
              "The card could not be sent for authorization. Retry with a new Idempotency-Key.",
              { payment: this.view(failed) },
            ),
          };
    }
    settleAuthorization(this.store, this.env, outcome, input.captureMethod);
    const payment = this.store.payment() as PaymentRecord;
    if (payment.status === "failed") {
      return {
        status: 402,
        body: errorBody(input.requestId, "card_error", "card_declined", "The card was declined.", {
          decline_code: payment.decline_code ?? "generic_decline",
          payment: this.view(payment),
        }),
      };
    }
    return { status: 200, body: this.view(payment) };
  }

  private async followUp(
    input: FollowUpInput,
    operation: string,
    run: (payment: PaymentRecord) => Promise<PaymentReply>,
  ): Promise<PaymentReply> {
    const payment = this.store.payment();
    if (!payment || payment.merchant_id !== input.merchantId) {
      return {
        status: 404,
        body: errorBody(input.requestId, "invalid_request_error", "resource_missing", "No such payment.", {
          param: "id",
        }),
      };
    }
    const key = input.idempotencyKey ? `${operation}:${input.idempotencyKey}` : null;
    const body = async () => run(this.store.payment() as PaymentRecord);
    return key ? this.idempotent(key, input.requestHash, input.requestId, body) : this.mutation(body);
  }

  /**
   * Idempotency (DESIGN invariant 3): the key is recorded before the first await, so a duplicate
   * arriving meanwhile gets 409; a finished one replays its first answer; a different request under
   * the same key is refused.
   */
  private async idempotent(
    key: string,
    hash: string,
    requestId: string,
    run: () => Promise<PaymentReply>,
  ): Promise<PaymentReply> {
    const seen = this.store.idempotency(key);
    if (seen && seen.request_hash !== hash) {
      return {
        status: 400,
        body: errorBody(
          requestId,
          "idempotency_error",
          "idempotency_key_reused",
          "This Idempotency-Key was used with different parameters.",
        ),
      };
    }
    if (seen?.state === "in_flight") {
      return {
        status: 409,
        body: errorBody(
          requestId,
          "idempotency_error",
          "idempotency_key_in_use",
          "A request with this Idempotency-Key is still in progress; retry shortly.",
        ),
      };
    }
    if (seen?.reply) return { ...seen.reply, replayed: true };
    this.store.beginIdempotent(key, hash);
    const reply = await this.mutation(run);
    // A 5xx says "try again": it is not kept, so the retry with the same key runs (Stripe's rule).
    if (reply.status >= 500) this.store.forgetIdempotent(key);
    else this.store.finishIdempotent(key, reply);
    return reply;
  }

  /** Runs `run` when no other mutation of this payment is running (reads do not wait). */
  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.lock.then(run, run);
    this.lock = next.catch(() => {});
    return next;
  }

  /**
   * An API mutation: exclusive, then the alarm is armed to drain what it wrote. The alarm's own
   * work uses `exclusive` alone: arming from inside the alarm would run it again at once, for
   * ever (it did: every payment's alarm re-ran back to back, writing to storage each time).
   */
  private mutation<T>(run: () => Promise<T>): Promise<T> {
    const next = this.exclusive(run);
    void next.finally(() => this.scheduleAlarm());
    return next;
  }

  /**
   * Always (re)arms the alarm for now: checking `getAlarm()` first would miss the case where the
   * alarm is running right now (it reports itself, then clears itself when it ends). The alarm
   * recomputes its next time anyway.
   */
  private async scheduleAlarm(): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now());
  }

  private ok(): PaymentReply {
    return { status: 200, body: this.view(this.store.payment() as PaymentRecord) };
  }

  private view(payment: PaymentRecord) {
    return paymentView(payment, this.store.refunds());
  }
}
