import { DurableObject } from "cloudflare:workers";
import { ORCHESTRATOR, type TransitionActor } from "../../common/payment-event-message.js";
import type { UpiAnswer } from "../../workers/connectors/upi/upi-answer.js";
import { validateVpa } from "../../workers/connectors/upi/upi-switch-calls.js";
import { upiSwitchLink } from "../../workers/connectors/upi/upi-switch-link.js";
import { timedReply } from "../../workers/middleware/server-timing/timing-scope.js";
import { IdempotencyKeys } from "./idempotency-keys.js";
import { authorize } from "./operations/authorize.js";
import { connectorOf, resolveAtEdge, startFollowUp } from "./operations/connector-of.js";
import { continueAuthorization } from "./operations/next-attempt.js";
import type { OperationIntent } from "./operations/operation-intent.js";
import { resolvePending } from "./operations/resolve-pending.js";
import { announcePending } from "./operations/settle-operation.js";
import type { OperationContext } from "./operations/start-operation.js";
import { type PaymentCaller, type PaymentRecord, type PaymentReply, visibleTo } from "./payment-record.js";
import { replies } from "./payment-replies.js";
import type { RoutingChoice } from "./payment-routing.js";
import { PaymentStore, upgradeSchema } from "./payment-store.js";
import { paymentView } from "./payment-view.js";
import { applyUpiAnswer } from "./upi/apply-upi-answer.js";
import { startUpiPayment, type UpiPaymentRequest } from "./upi/start-upi-payment.js";
import { advanceWalletPayment } from "./wallet/advance-wallet-payment.js";
import { startWalletPayment, type WalletPaymentRequest } from "./wallet/start-wallet-payment.js";
import { walletReturnUrl } from "./wallet/wallet-return.js";

export interface CreatePaymentInput extends PaymentCaller {
  requestId: string;
  /** The API key whose request this is: its changes are audited as that key's. */
  apiKeyId?: string | null;
  paymentId: string;
  idempotencyKey: string | null;
  requestHash: string;
  amount: number;
  currency: string;
  captureMethod: "automatic" | "manual";
  /** A card payment's token (null for UPI). */
  token: string | null;
  /** A UPI payment's flow and payer (null for a card). */
  upi: UpiPaymentRequest | null;
  /** A wallet payment's return pages (null for a card or UPI). */
  walletRequest?: WalletPaymentRequest | null;
  description: string | null;
  metadata: Record<string, string>;
  customerId: string | null;
  /** The router's decision (made at the edge, which has the database); null: the vault routes by brand. */
  routing: RoutingChoice | null;
}

export interface FollowUpInput extends PaymentCaller {
  requestId: string;
  /** The API key whose request this is: its changes are audited as that key's. */
  apiKeyId?: string | null;
  idempotencyKey: string | null;
  requestHash: string;
  amount?: number;
  reason?: string | null;
  refundId?: string;
}

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** A merchant's request as the object sees it: who sent it, under which id, of what content. */
type MerchantRequest = Pick<FollowUpInput, "requestId" | "requestHash" | "apiKeyId">;

/** A processor's verified callback: the switch's RespPay, the wallet's webhook. */
const UPI_CALLBACK: TransitionActor = { kind: "processor", id: "upi_switch", request_id: null };
const WALLET_WEBHOOK: TransitionActor = { kind: "processor", id: "paypal", request_id: null };

/** What a request under an Idempotency-Key ran: its answer now, from its operation if it has one. */
type Run = (key: string | null) => Promise<{ reply: PaymentReply; operation?: OperationIntent }>;

/**
 * The payment orchestrator: one SQLite-backed Durable Object per payment, a thin shell that owns
 * storage, the lock, idempotency and the alarm, and hands each operation to its module in
 * `operations/` (validate -> persist the intent -> call -> persist the outcome). Mutations run one
 * at a time; reads do not wait. The alarm drains the outbox to the `payment-events` queue,
 * resolves pending operations by inquiry, and releases authorizations left uncaptured.
 */
export class PaymentObject extends DurableObject<Env> {
  private readonly store: PaymentStore;
  private readonly keys: IdempotencyKeys;
  private lock: Promise<unknown> = Promise.resolve();
  /** Idempotency keys whose request is running in this instance (a stored one that is not, is stale). */
  private readonly running = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new PaymentStore(ctx.storage);
    this.keys = new IdempotencyKeys(ctx.storage);
    ctx.blockConcurrencyWhile(async () => upgradeSchema(ctx.storage));
  }

  /** The payment as its merchant sees it, or null (no such payment, or another merchant's or mode's). */
  async retrieve(caller: PaymentCaller): Promise<ReturnType<typeof paymentView> | null> {
    const payment = this.store.payment();
    return visibleTo(payment, caller) ? paymentView(payment, this.store.refunds()) : null;
  }

  /** The transition log, oldest first (for the API and the tests). */
  async events(caller: PaymentCaller) {
    return visibleTo(this.store.payment(), caller) ? this.store.events() : null;
  }

  async create(input: CreatePaymentInput): Promise<PaymentReply> {
    const created = this.store.payment();
    // One object per (merchant, mode, key): a payment here of anyone else is a name gone wrong,
    // and its stored answers are not this caller's to replay.
    if (created && !visibleTo(created, input)) return replies.keyReused(input.requestId);
    // The key's record may have expired (24 h): the payment still knows what it was created with.
    if (created?.request_hash && created.request_hash !== input.requestHash) return replies.keyReused(input.requestId);
    return this.idempotent(input.idempotencyKey ?? "create", input, async (key) => {
      if (this.store.payment()) return { reply: this.paymentReply(input.requestId, input.token) };
      if (input.upi?.flow === "collect") {
        // ReqValAdd before the collect goes: a VPA the switch does not know creates nothing.
        const refusal = await this.vpaRefusal(input.requestId, input.livemode, input.upi.vpa);
        if (refusal) return { reply: refusal };
      }
      const operation = input.upi
        ? await startUpiPayment(this.context(key), input, input.upi)
        : input.walletRequest
          ? await startWalletPayment(this.context(key), input, input.walletRequest)
          : await authorize(this.context(key), input);
      return { reply: this.paymentReply(input.requestId, input.token), operation };
    });
  }

  async capture(input: FollowUpInput): Promise<PaymentReply> {
    return this.followUp(input, "capture", async (payment, key) => {
      if (payment.status !== "authorized") return replies.unexpectedState(input.requestId, payment.status, "capture");
      const amount = input.amount ?? payment.amount_capturable;
      if (amount <= 0 || amount > payment.amount_capturable) {
        return replies.invalidParam(
          input.requestId,
          "amount_to_capture",
          `must be between 1 and ${payment.amount_capturable}`,
        );
      }
      // Capturing less than authorized releases the rest (amount_capturable drops to 0).
      return startFollowUp(this.context(key), payment.processor, "capture", { amount });
    });
  }

  async cancel(input: FollowUpInput): Promise<PaymentReply> {
    return this.followUp(input, "cancel", async (payment, key) => {
      if (payment.status !== "authorized") return replies.unexpectedState(input.requestId, payment.status, "cancel");
      return startFollowUp(this.context(key), payment.processor, "void", { amount: payment.amount });
    });
  }

  async refund(input: FollowUpInput): Promise<PaymentReply> {
    return this.followUp(input, "refund", async (payment, key) => {
      if (payment.status !== "captured" && payment.status !== "partially_refunded") {
        return replies.unexpectedState(input.requestId, payment.status, "refund");
      }
      // A refund keeps its key for good (Postgres holds one refund per payment and key), so a key
      // reused after its 24 h record expired cannot make a second refund.
      const earlier = input.idempotencyKey
        ? this.store.refunds().find((refund) => refund.idempotency_key === input.idempotencyKey)
        : undefined;
      if (earlier) return replies.refundKeyUsed(input.requestId, earlier.id);
      const remaining = payment.amount_captured - payment.amount_refunded;
      const amount = input.amount ?? remaining;
      if (amount <= 0 || amount > remaining) {
        return replies.invalidParam(
          input.requestId,
          "amount",
          `must be between 1 and ${remaining}, the captured amount not yet refunded`,
        );
      }
      const spec = {
        amount,
        refundId: input.refundId ?? `re_${crypto.randomUUID().replaceAll("-", "")}`,
        refundReason: input.reason ?? null,
        refundKey: input.idempotencyKey,
      };
      // Through the processor's connector: the vault's for a card, the edge's own for UPI and the wallet.
      return startFollowUp(this.context(key), payment.processor, "refund", spec);
    });
  }

  /**
   * The switch's RespPay callback for one of this payment's UPI transactions, its signature
   * already verified by the callback route (the only way in besides the object's own status
   * checks). Idempotent: an answer for an operation already settled changes nothing. False when
   * no operation of this payment carries that transaction id.
   */
  async upiAnswer(livemode: boolean, txnId: string, answer: UpiAnswer): Promise<boolean> {
    return this.mutation(UPI_CALLBACK, async () => {
      // The other mode's switch speaks for none of this payment's transactions (DESIGN invariant 6).
      if (this.store.payment()?.livemode !== livemode) return false;
      const intent = this.store.operations().find((operation) => operation.upi_txn_id === txnId);
      if (!intent) return false;
      applyUpiAnswer(this.context(null), intent.id, answer, "callback");
      return true;
    });
  }

  /**
   * The payer back from the wallet at the gateway's return (or cancel) page, naming the order
   * (PayPal's `token`): the payment is moved on from the order as the wallet has it now (the same
   * step the webhook and the alarm take; whichever comes first moves it), and the answer is the
   * merchant's page to bounce the payer to, with the payment's id and how it went. Null (and
   * nothing asked of the wallet) when this is no wallet payment, or the token is not its order.
   */
  async walletReturn(orderId: string, canceled: boolean): Promise<string | null> {
    return this.mutation(ORCHESTRATOR, async () => {
      const payment = this.store.payment();
      if (!payment?.wallet?.order_id || orderId !== payment.wallet.order_id) return null;
      const intent = this.store.pendingOperation();
      if (intent?.kind === "authorize") await advanceWalletPayment(this.context(null), intent, "return");
      return walletReturnUrl(this.store.payment() as PaymentRecord, canceled);
    });
  }

  /**
   * A webhook from the mode's wallet about this payment, its signature verified by the intake
   * route: the pending operation is asked about now, rather than at its next check. What the
   * webhook says is not applied: the wallet is asked, so a stale or replayed event changes nothing.
   * False when this is not a wallet payment of that mode.
   */
  async walletNotified(livemode: boolean): Promise<boolean> {
    return this.mutation(WALLET_WEBHOOK, async () => {
      const payment = this.store.payment();
      if (!payment?.wallet || payment.livemode !== livemode) return false;
      const intent = this.store.pendingOperation();
      if (intent && connectorOf(intent.processor) === "wallet")
        await resolveAtEdge(this.context(null), intent, "webhook");
      return true;
    });
  }

  /** Development fault switch (the chaos campaign): drop this instance as an eviction or crash would. */
  async chaosReset(): Promise<void> {
    this.ctx.abort("chaos reset");
  }

  /**
   * Drains the outbox, resolves a pending operation, releases an authorization at the end of its
   * window, expires day-old idempotency keys, and sleeps until the next of those is due.
   */
  override async alarm(): Promise<void> {
    this.keys.expire(IDEMPOTENCY_TTL_MS);
    await this.exclusive(() => resolvePending(this.context(null)));
    // An attempt that just resolved (or one that failed over before an eviction) hands on to the next.
    await this.exclusive(() => continueAuthorization(this.context(null)));
    await this.exclusive(() => this.releaseExpiredAuthorization());
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
    const operation = this.store.pendingOperation();
    const due = [
      this.store.outbox(1).length > 0 ? Date.now() + 5_000 : null,
      operation?.resolve_at ?? null,
      payment?.status === "authorized" && payment.void_at && !operation ? new Date(payment.void_at).getTime() : null,
      // Processing with no attempt in flight: the next attempt is owed (a second, not a tight loop).
      payment?.status === "processing" && !operation ? Date.now() + 1_000 : null,
    ].filter((time): time is number => time !== null);
    if (due.length > 0) await this.ctx.storage.setAlarm(Math.min(...due));
  }

  /** Why a collect to `vpa` must not be created: unknown at the switch (402), or the switch silent (503). */
  private async vpaRefusal(requestId: string, livemode: boolean, vpa: string): Promise<PaymentReply | null> {
    const link = upiSwitchLink(this.env, livemode);
    const check = link ? await validateVpa(await link, vpa).catch(() => null) : null;
    if (check === null) return replies.vpaUnchecked(requestId);
    return check.valid ? null : replies.vpaInvalid(requestId, check.code);
  }

  /** Card networks hold an authorization for days, not forever: release it rather than let it lapse. */
  private async releaseExpiredAuthorization(): Promise<void> {
    const payment = this.store.payment();
    if (payment?.status !== "authorized" || !payment.void_at || new Date(payment.void_at).getTime() > Date.now())
      return;
    if (this.store.pendingOperation()) return;
    await startFollowUp(this.context(null), payment.processor, "void", {
      amount: payment.amount,
      reason: "authorization_expired",
    });
  }

  private context(idempotencyKey: string | null): OperationContext {
    return {
      store: this.store,
      keys: this.keys,
      env: this.env,
      storage: this.ctx.storage,
      waitUntil: (work) => this.ctx.waitUntil(work),
      idempotencyKey,
    };
  }

  private paymentReply(requestId: string, token: string | null): PaymentReply {
    return replies.payment(requestId, this.store.payment() as PaymentRecord, this.store.refunds(), token);
  }

  private async followUp(
    input: FollowUpInput,
    operation: string,
    run: (payment: PaymentRecord, key: string | null) => Promise<PaymentReply | OperationIntent>,
  ): Promise<PaymentReply> {
    if (!visibleTo(this.store.payment(), input)) return replies.missing(input.requestId);
    const key = input.idempotencyKey ? `${operation}:${input.idempotencyKey}` : null;
    return this.idempotent(key, input, async (stored) => {
      const current = this.store.payment() as PaymentRecord;
      const pending = this.store.pendingOperation();
      if (pending) return { reply: replies.operationPending(input.requestId, pending, operation) };
      const outcome = await run(current, stored);
      if ("status" in outcome && typeof outcome.status === "number") return { reply: outcome as PaymentReply };
      const intent = outcome as OperationIntent;
      return { reply: this.operationReply(input.requestId, intent), operation: intent };
    });
  }

  private operationReply(requestId: string, intent: OperationIntent): PaymentReply {
    const current = this.store.operation(intent.id) ?? intent;
    return replies.operation(requestId, current, this.store.payment() as PaymentRecord, this.store.refunds());
  }

  /**
   * Idempotency (DESIGN invariant 3): the key is recorded before the first await, so a duplicate
   * arriving meanwhile gets 409; a finished one replays its first answer; a different request
   * under the same key is refused. A key is always finished with the answer the merchant got: an
   * operation still pending keeps the key `pending`, and a retry answers from the operation as it
   * stands (its final answer once it is definite). A 5xx means nothing happened: the key is freed
   * and the retry runs. A key whose request died with its instance is never left in flight.
   * With SERVER_TIMING on, the answer carries this call's vault and network time for the edge's
   * `Server-Timing` header (never stored with the key's answer).
   */
  private idempotent(key: string | null, request: MerchantRequest, run: Run): Promise<PaymentReply> {
    return timedReply(this.env.SERVER_TIMING === "on", () => this.idempotentNow(key, request, run));
  }

  private async idempotentNow(key: string | null, request: MerchantRequest, run: Run): Promise<PaymentReply> {
    const { requestHash: hash, requestId } = request;
    const actor: TransitionActor = request.apiKeyId
      ? { kind: "api_key", id: request.apiKeyId, request_id: requestId }
      : { ...ORCHESTRATOR, request_id: requestId };
    if (key === null) return (await this.mutation(actor, () => run(null))).reply;
    const seen = this.keys.get(key);
    if (seen && seen.request_hash !== hash) return replies.keyReused(requestId);
    if (seen?.state === "done" && seen.reply) return { ...seen.reply, replayed: true };
    if (seen && this.running.has(key)) return replies.keyInUse(requestId);
    if (seen) {
      // Pending, or left in flight by an instance that died: answer from its operation.
      const operation = seen.operation_id ? this.current(this.store.operation(seen.operation_id)) : null;
      if (operation) {
        // About to be shown as pending (an instance that died mid-call never said so): log it first.
        announcePending(this.store, operation.id);
        const reply = this.replyFor(operation, requestId, seen.reply);
        if (this.finish(key, reply, operation)) return { ...reply, replayed: true };
      } else {
        this.keys.forget(key); // nothing was started under it
      }
    }
    this.running.add(key);
    this.keys.begin(key, hash);
    try {
      const { reply, operation } = await this.mutation(actor, () => run(key));
      this.finish(key, reply, operation);
      return reply;
    } finally {
      this.running.delete(key);
    }
  }

  /**
   * The operation a key's answer follows now: its own, or for a create, the payment's latest
   * attempt (a failover after the key's attempt resolved started another, under no key).
   */
  private current(operation: OperationIntent | null): OperationIntent | null {
    if (operation?.kind !== "authorize") return operation;
    const latest = this.store.payment()?.attempts?.at(-1)?.id;
    return (latest ? this.store.operation(latest) : null) ?? operation;
  }

  /** The answer for a key whose request started `operation`. */
  private replyFor(operation: OperationIntent, requestId: string, stored: PaymentReply | null): PaymentReply {
    if (operation.kind === "authorize") {
      const payment = this.store.payment() as PaymentRecord;
      const token = payment.card_token;
      // A card's authorization pending is `processing` throughout: its first answer stands. A
      // UPI or wallet payment moves on while its one attempt is pending (to the payer's turn, and
      // back): a retry answers with it as it is now, its `next_action` included.
      const unchanged = payment.payment_method_type === "card";
      return operation.state === "pending" && stored && unchanged ? stored : this.paymentReply(requestId, token);
    }
    return this.operationReply(requestId, operation);
  }

  /**
   * Records the answer a key's request got; false when the key is freed instead. A key is freed
   * only when nothing happened that the merchant could see: no operation started, or one never
   * sent and never shown as pending. An operation shown as pending keeps its key for good,
   * whatever became of it, so one key is one operation, in the object and in Postgres.
   */
  private finish(key: string, reply: PaymentReply, operation?: OperationIntent): boolean {
    const current = operation ? this.store.operation(operation.id) : null;
    // No operation started (a validation error, a state conflict, a pending operation in the way):
    // nothing is saved, as Stripe does, so the retry runs again once the payment has moved on.
    const nothingHappened = current ? current.result === "not_sent" && !current.announced : true;
    if (current?.state === "pending") this.keys.pend(key, reply, current.id);
    else if (nothingHappened) this.keys.forget(key);
    else this.keys.finish(key, reply);
    return !nothingHappened || current?.state === "pending";
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
  private mutation<T>(actor: TransitionActor, run: () => Promise<T>): Promise<T> {
    const next = this.exclusive(() => this.store.actingFor(actor, run));
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
}
