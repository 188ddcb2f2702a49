import Stripe from "stripe";
import type {
  AuthorizeRequest,
  CardConnector,
  FollowUpRequest,
  InquiryResult,
  OperationKind,
  OperationResult,
  ReferenceContext,
} from "../card-connector.js";
import {
  createIntentParams,
  followUpReference,
  fromError,
  fromIntent,
  inquiryOf,
  intentOf,
  keyOf,
} from "./aggregator.transformers.js";

export interface AggregatorConfig {
  /** The API's base URL (`https://api.stripe.com`, or the simulator's `http://127.0.0.1:8591`). */
  url: string;
  secretKey: string;
  /** The HTTP client's timeout for one request. */
  timeoutMs: number;
}

/**
 * The Stripe-style card aggregator, through the official `stripe` client pointed at it by URL:
 * the same connector works against the real service by configuration. It sends the card number,
 * so it lives in the cardholder data zone. Every POST carries the operation's idempotency key:
 * a repeat is the first request again, answered with the first answer; the client itself never
 * retries (`maxNetworkRetries: 0`), the journal owns what a lost answer costs.
 */
export class AggregatorConnector implements CardConnector {
  readonly processor = "aggregator" as const;
  readonly mintsRrn = false;
  readonly worstExchangeMs: number;
  private readonly stripe: Stripe;

  constructor(config: AggregatorConfig) {
    const url = new URL(config.url);
    const protocol = url.protocol === "https:" ? "https" : "http";
    this.stripe = new Stripe(config.secretKey, {
      host: url.hostname,
      port: url.port || (protocol === "https" ? 443 : 80),
      protocol,
      maxNetworkRetries: 0,
      timeout: config.timeoutMs,
      telemetry: false,
    });
    // The client resends once, under the same key, a request whose connection closed under it.
    this.worstExchangeMs = 2 * config.timeoutMs;
  }

  reference(kind: OperationKind, original: string | null, context: ReferenceContext): string | null {
    if (kind === "authorization" || kind === "sale") return context.operationId;
    const intent = original ? intentOf(original) : null;
    return intent ? followUpReference(intent, context.operationId) : null;
  }

  /** No retrieval references here: the idempotency key is the operation's own id. */
  moveTrace(): void {}

  async authorize(request: AuthorizeRequest, reference: string): Promise<OperationResult> {
    return this.send(() => this.stripe.paymentIntents.create(createIntentParams(request), this.keyed(reference)));
  }

  /** Capture, in full or in part (the rest of the hold is released). A repeat is the same key. */
  async capture(request: FollowUpRequest, reference: string): Promise<OperationResult> {
    const intent = this.intent(request.original);
    const params = { amount_to_capture: request.amount, metadata: { operation_id: keyOf(reference) } };
    return this.send(() => this.stripe.paymentIntents.capture(intent, params, this.keyed(reference)));
  }

  async void(request: FollowUpRequest, reference: string): Promise<OperationResult> {
    const intent = this.intent(request.original);
    return this.send(() => this.stripe.paymentIntents.cancel(intent, {}, this.keyed(reference)));
  }

  async refund(request: FollowUpRequest, reference: string): Promise<OperationResult> {
    const intent = this.intent(request.original);
    const params = { payment_intent: intent, amount: request.amount, metadata: { operation_id: keyOf(reference) } };
    try {
      const refund = await this.stripe.refunds.create(params, this.keyed(reference));
      const named = `${intent}/${refund.id}`;
      return refund.status === "failed" || refund.status === "canceled"
        ? {
            status: "declined",
            decline: { code: "processing_error", retry: "hard" },
            responseCode: refund.status,
            reference: named,
          }
        : { status: "approved", authCode: null, responseCode: refund.status ?? "succeeded", reference: named };
    } catch (error) {
      return fromError(error);
    }
  }

  /**
   * An authorization whose answer was lost: find its PaymentIntent (by Stripe's search on the
   * metadata it was tagged with) and cancel it, or refund a sale in full. When it cannot be
   * found, its idempotency key is taken with a card-less intent: if that is accepted, the
   * original never ran and now cannot run (its key answers with this one); if the key is taken
   * already, the original ran, and is looked for again later.
   */
  async reverseUnanswered(request: FollowUpRequest): Promise<OperationResult> {
    const key = keyOf(request.original);
    const found = await this.search(key);
    if (found.status === "found") return this.undo(found.intent, key);
    let fence: Stripe.PaymentIntent;
    try {
      fence = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          metadata: { operation_id: key, fence: "true" },
        },
        this.keyed(key),
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeIdempotencyError && error.statusCode === 400) {
        return { status: "unknown", reason: `the authorization ran and cannot be found yet (${found.reason})` };
      }
      return fromError(error);
    }
    if (fence.metadata.fence !== "true") return this.undo(fence, key);
    // Tidy, not needed for the fence: the key is taken whatever becomes of this intent.
    await this.stripe.paymentIntents.cancel(fence.id, {}, this.keyed(`${key}_fence`)).catch(() => undefined);
    return { status: "approved", authCode: null, responseCode: "fenced" };
  }

  /** An authorization by its PaymentIntent (`pi_...`) or its key; a follow-up's own key is never booked apart. */
  async inquire(reference: string): Promise<InquiryResult> {
    const intent = intentOf(reference);
    if (intent && reference.includes("/")) {
      // A refund's own reference: resending it under its key is what tells (the first answer comes back).
      return { status: "not_found" };
    }
    if (!intent) {
      const found = await this.search(keyOf(reference));
      return found.status === "found" ? inquiryOf(found.intent) : { status: "unavailable", reason: found.reason };
    }
    try {
      return inquiryOf(await this.stripe.paymentIntents.retrieve(intent));
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
        return { status: "not_found" };
      }
      const result = fromError(error);
      return { status: "unavailable", reason: "reason" in result ? result.reason : result.responseCode };
    }
  }

  async echo(): Promise<boolean> {
    try {
      await this.stripe.paymentIntents.retrieve("pi_echo");
      return true;
    } catch (error) {
      return error instanceof Stripe.errors.StripeInvalidRequestError;
    }
  }

  async close(): Promise<void> {}

  private keyed(key: string): Stripe.RequestOptions {
    return { idempotencyKey: keyOf(key) };
  }

  private intent(original: string): string {
    const intent = intentOf(original);
    if (!intent) throw new Error(`not an aggregator PaymentIntent reference: ${original}`);
    return intent;
  }

  private async send(call: () => Promise<Stripe.PaymentIntent>): Promise<OperationResult> {
    try {
      return fromIntent(await call());
    } catch (error) {
      return fromError(error);
    }
  }

  /** A found authorization undone: a hold canceled, a sale refunded in full, each under its own key. */
  private async undo(intent: Stripe.PaymentIntent, key: string): Promise<OperationResult> {
    const options = this.keyed(`${key}_reversal`);
    switch (intent.status) {
      case "requires_capture":
        return this.send(() => this.stripe.paymentIntents.cancel(intent.id, {}, options));
      case "succeeded":
        try {
          await this.stripe.refunds.create({ payment_intent: intent.id }, options);
          return { status: "approved", authCode: null, responseCode: "refunded" };
        } catch (error) {
          return fromError(error);
        }
      case "canceled":
      case "requires_payment_method":
        // Nothing held, nothing moved.
        return { status: "approved", authCode: null, responseCode: intent.status };
      default:
        return fromIntent(intent);
    }
  }

  /** Stripe's search by the metadata every authorization is tagged with (eventually consistent there). */
  private async search(
    key: string,
  ): Promise<{ status: "found"; intent: Stripe.PaymentIntent } | { status: "none"; reason: string }> {
    try {
      const page = await this.stripe.paymentIntents.search({ query: `metadata['operation_id']:'${key}'`, limit: 1 });
      const [intent] = page.data;
      return intent ? { status: "found", intent } : { status: "none", reason: "no PaymentIntent has its key" };
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      return { status: "none", reason: `search failed: ${error.message}` };
    }
  }
}
