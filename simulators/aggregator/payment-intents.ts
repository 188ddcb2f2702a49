import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { type CheckedCard, checkCard } from "./card-checks.js";
import { newId } from "./ids.js";
import type { IntentRecord, IntentStatus, Ledger } from "./ledger.js";
import type { cancelIntentParams, captureIntentParams, createIntentParams, searchIntentParams } from "./params.js";
import { searchIntents } from "./payment-intent-search.js";
import { invalidRequest, resourceMissing, StripeFailure, unexpectedState } from "./stripe-error.js";
import { paymentIntentObject } from "./stripe-objects.js";
import { cardOutcome, fingerprint } from "./test-cards.js";
import type { EventSink, RequestContext } from "./webhooks.js";

export interface IntentDeps {
  ledger: Ledger;
  events: EventSink;
  livemode: boolean;
  /** Keys the card fingerprints (test-cards.ts). */
  fingerprintKey: string;
  now(): Date;
}

/** Where a PaymentIntent may be canceled from (docs.stripe.com/api/payment_intents/cancel). */
const CANCELABLE: Readonly<Record<IntentStatus, boolean>> = {
  requires_payment_method: true,
  requires_confirmation: true,
  requires_capture: true,
  succeeded: false,
  canceled: false,
};

/**
 * The PaymentIntent lifecycle as Stripe runs it for cards without 3-D Secure: created and
 * confirmed in one call (the simulator never keeps a card, so it cannot confirm one later), then
 * `succeeded` (automatic capture) or `requires_capture` (manual: the hold), captured once, in full
 * or in part (the rest is released), or canceled. A decline leaves it `requires_payment_method`
 * with `last_payment_error` and answers 402, as Stripe does.
 */
export class PaymentIntents {
  constructor(private readonly deps: IntentDeps) {}

  create(params: z.output<typeof createIntentParams>, request: RequestContext) {
    const card = params.payment_method_data ? checkCard(params.payment_method_data.card, this.deps.now()) : null;
    if (params.confirm && !card) {
      throw unexpectedState("You cannot confirm this PaymentIntent because it's missing a payment method.");
    }
    if (card && !params.confirm) {
      throw invalidRequest("Card details are accepted only with confirm=true: they are never kept.", "confirm");
    }
    const now = this.deps.now().toISOString();
    const id = newId("pi");
    const record: IntentRecord = {
      id,
      clientSecret: `${id}_secret_${randomBytes(18).toString("base64url").replace(/[-_]/g, "")}`,
      livemode: this.deps.livemode,
      status: "requires_payment_method",
      captureMethod: params.capture_method === "manual" ? "manual" : "automatic",
      amount: params.amount,
      currency: params.currency,
      description: params.description ?? null,
      metadata: params.metadata ?? {},
      paymentMethodId: null,
      card: null,
      chargeId: null,
      lastError: null,
      authorizedAmount: 0,
      capturedAmount: 0,
      refundedAmount: 0,
      refunds: [],
      cancellationReason: null,
      canceledAt: null,
      createdAt: now,
      updatedAt: now,
    };
    if (!card) return paymentIntentObject(this.deps.ledger.save(record));
    return this.confirm(record, card, request, params.expand);
  }

  retrieve(id: string, expand: string[] = []) {
    return paymentIntentObject(this.load(id), { expandLatestCharge: expand.includes("latest_charge") });
  }

  /** This mode's PaymentIntents answering a search query (payment-intent-search.ts). */
  search(params: z.output<typeof searchIntentParams>) {
    return searchIntents(
      this.deps.ledger.all().filter((record) => record.livemode === this.deps.livemode),
      params,
    );
  }

  capture(id: string, params: z.output<typeof captureIntentParams>, request: RequestContext) {
    const record = this.load(id);
    if (record.status !== "requires_capture") {
      throw unexpectedState(
        `This PaymentIntent could not be captured because it has a status of ${record.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      );
    }
    const amount = params.amount_to_capture ?? record.authorizedAmount;
    if (amount > record.authorizedAmount) {
      throw invalidRequest(
        `The amount_to_capture (${amount}) must be less than or equal to the amount_capturable (${record.authorizedAmount}).`,
        "amount_to_capture",
        "amount_too_large",
      );
    }
    record.capturedAmount = amount;
    record.capturedAt = this.deps.now().toISOString();
    record.status = "succeeded";
    record.metadata = { ...record.metadata, ...params.metadata };
    return this.settle(record, "payment_intent.succeeded", request, params.expand);
  }

  cancel(id: string, params: z.output<typeof cancelIntentParams>, request: RequestContext) {
    const record = this.load(id);
    if (!CANCELABLE[record.status]) {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${record.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
      );
    }
    record.status = "canceled";
    record.cancellationReason = params.cancellation_reason ?? null;
    record.canceledAt = this.deps.now().toISOString();
    return this.settle(record, "payment_intent.canceled", request, params.expand);
  }

  private confirm(record: IntentRecord, card: CheckedCard, request: RequestContext, expand: string[] = []) {
    record.paymentMethodId = newId("pm");
    record.card = {
      brand: card.brand,
      last4: card.number.slice(-4),
      expMonth: card.expMonth,
      expYear: card.expYear,
      fingerprint: fingerprint(card.number, this.deps.fingerprintKey),
    };
    record.chargeId = newId("ch");
    const outcome = cardOutcome(card.number);
    if (outcome.approved) {
      record.authorizedAmount = record.amount;
      record.status = record.captureMethod === "manual" ? "requires_capture" : "succeeded";
      if (record.status === "succeeded") {
        record.capturedAmount = record.amount;
        record.capturedAt = this.deps.now().toISOString();
      }
      const event =
        record.status === "succeeded" ? "payment_intent.succeeded" : "payment_intent.amount_capturable_updated";
      return this.settle(record, event, request, expand);
    }
    const param = outcome.param ? `payment_method_data[card][${outcome.param}]` : null;
    record.lastError = {
      code: outcome.code,
      declineCode: outcome.declineCode ?? null,
      message: outcome.message,
      param,
    };
    const intent = this.settle(record, "payment_intent.payment_failed", request, expand);
    throw new StripeFailure(402, {
      type: "card_error",
      code: outcome.code,
      ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}),
      message: outcome.message,
      ...(param ? { param } : {}),
      charge: record.chargeId,
      payment_intent: intent,
      doc_url: `https://stripe.com/docs/error-codes/${outcome.code.replaceAll("_", "-")}`,
    });
  }

  /** Books the change, tells the webhook endpoint, and answers with the intent as it now stands. */
  private settle(record: IntentRecord, event: string, request: RequestContext, expand: string[] = []) {
    this.deps.ledger.save(record);
    this.deps.events.emit(event, paymentIntentObject(record), request);
    return paymentIntentObject(record, { expandLatestCharge: expand.includes("latest_charge") });
  }

  private load(id: string): IntentRecord {
    const record = this.deps.ledger.get(id);
    if (!record || record.livemode !== this.deps.livemode) throw resourceMissing("payment_intent", id, "intent");
    return record;
  }
}
