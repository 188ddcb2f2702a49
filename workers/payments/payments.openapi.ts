import { z } from "zod";
import { VPA_PATTERN } from "../../common/upi/upi-vpa.js";
import { PAYMENT_STATUSES, REFUND_STATUSES } from "../../db/schema/index.js";
import {
  currencyCode,
  livemode,
  metadata,
  minorUnits,
  optimisticVersion,
  prefixedId,
  resource,
  unixSeconds,
} from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import {
  cancelSchema,
  captureSchema,
  createPaymentSchema,
  listPaymentsSchema,
  paymentSummarySchema,
  refundSchema,
} from "./payments.schemas.js";

export const Refund = resource(
  "Refund",
  z.strictObject({
    id: prefixedId("re"),
    object: z.literal("refund"),
    livemode,
    payment: prefixedId("pay"),
    amount: minorUnits,
    currency: currencyCode,
    status: z.enum(REFUND_STATUSES),
    reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).nullable(),
    created: unixSeconds,
  }),
  "Money returned to the card, in part or whole, of a captured payment.",
);

export const PaymentAttempt = resource(
  "PaymentAttempt",
  z.strictObject({
    id: z
      .string()
      .regex(/^op_[0-9A-Za-z_]+$/)
      .describe("The operation id the processor call was journaled under."),
    object: z.literal("payment_attempt"),
    status: z.enum(["pending", "succeeded", "declined", "failed"]),
    processor: z.string().nullable(),
    processor_reference: z.string().nullable().describe("This attempt's own reference at its processor."),
    decline_code: z.string().nullable(),
    network_code: z
      .string()
      .nullable()
      .describe("The processor's own answer code (ISO 8583 field 39, or its decline code)."),
    auth_code: z.string().nullable().describe("The issuer's approval code, for an approved attempt."),
    latency_ms: z.number().int().min(0).nullable().describe("From the attempt's start to its definite outcome."),
    routing: z
      .strictObject({
        rule: z.string(),
        candidates: z.array(z.string()),
        skipped: z.array(z.strictObject({ processor: z.string(), reason: z.string() })),
      })
      .nullable()
      .describe(
        "Why the attempt went to its processor: the rule that matched, the candidates in order, who was skipped.",
      ),
    created: unixSeconds,
    completed: unixSeconds.nullable(),
  }),
  "One try at authorizing a payment at one processor. A payment that fails over has several; its `processor` is the one that succeeded.",
);

const expiresAt = unixSeconds.describe("When the collect request or the intent lapses (Unix seconds).");
const vpa = z.string().regex(VPA_PATTERN).describe("A UPI Virtual Payment Address, `name@handle`.");

const cardPaymentMethod = z.strictObject({
  type: z.literal("card"),
  token: prefixedId("tok"),
  card: z
    .strictObject({
      brand: z.string().describe("visa, mastercard, amex, rupay, ... or unknown."),
      last4: z.string().regex(/^[0-9]{4}$/),
      exp_month: z.number().int().min(1).max(12),
      exp_year: z.number().int(),
      funding: z.string().describe("credit, debit, prepaid or unknown."),
      country: z.string().length(2).nullable().describe("The issuer's country, when known."),
    })
    .nullable()
    .describe("The card behind the token, once the payment reached the vault."),
});

const upiPaymentMethod = z.strictObject({
  type: z.literal("upi"),
  upi: z.strictObject({
    flow: z
      .enum(["collect", "intent"])
      .describe(
        "`collect`: the gateway asks the payer's VPA to approve; `intent`: the payer opens `next_action.upi_intent.url` (or scans its QR code) in their UPI app.",
      ),
    vpa: vpa
      .nullable()
      .describe("The payer's VPA: as given for a collect; for an intent, once the switch has said who paid."),
    payee_vpa: vpa.describe("Your VPA, the money's destination."),
    transaction_id: z
      .string()
      .regex(/^[A-Za-z0-9]{35}$/)
      .describe("The UPI transaction id the gateway gave the switch (35 characters, starting `GWY`)."),
    rrn: z
      .string()
      .regex(/^[0-9]{12}$/)
      .nullable()
      .describe("The switch's Retrieval Reference Number once it has answered: what the payer's bank statement shows."),
    expires_at: expiresAt,
  }),
});

const walletId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

const paypalPaymentMethod = z.strictObject({
  type: z.literal("paypal"),
  paypal: z.strictObject({
    order_id: walletId.nullable().describe("The wallet's order the payer approves, once the wallet has answered."),
    payer_id: walletId.nullable().describe("The payer's wallet account, once they approved."),
    payer_email: z.string().nullable().describe("The payer's e-mail at the wallet, once they approved."),
    capture_id: walletId.nullable().describe("The wallet's capture: what the merchant's wallet statement shows."),
    authorization_id: walletId.nullable().describe("The wallet's authorization (`capture_method: manual`)."),
  }),
});

const paymentMethod = z
  .discriminatedUnion("type", [cardPaymentMethod, upiPaymentMethod, paypalPaymentMethod])
  .describe(
    "How the payer pays, by `type`: `card` (the token and its card summary), `upi` (the flow, the VPAs, the switch's transaction id and RRN) or `paypal` (the wallet's order, payer, and capture or authorization).",
  );

const nextAction = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("upi_collect"),
      upi_collect: z.strictObject({
        vpa: vpa.describe("The VPA the collect request was sent to: the payer approves it in their UPI app."),
        expires_at: expiresAt,
      }),
    }),
    z.strictObject({
      type: z.literal("upi_intent"),
      upi_intent: z.strictObject({
        url: z
          .string()
          .startsWith("upi://pay?")
          .describe("The `upi://pay` link: opened on the payer's phone, it offers their UPI apps."),
        qr_code: z
          .strictObject({
            image_url_svg: z
              .string()
              .startsWith("data:image/svg+xml;base64,")
              .describe("The link as a QR code: an SVG data URL to show on a desktop checkout."),
            data: z.string().describe("What the QR code encodes: the `upi://pay` link."),
          })
          .describe("For a payer on another device, who scans it with their UPI app."),
        expires_at: expiresAt,
      }),
    }),
    z.strictObject({
      type: z.literal("redirect_to_url"),
      redirect_to_url: z.strictObject({
        url: z.string().describe("The wallet's approval page: send the payer's browser here."),
        return_url: z
          .string()
          .describe("Your page the payer comes back to, with `payment_id` and `redirect_status` added."),
      }),
    }),
  ])
  .nullable()
  .describe(
    "What the payer must do while the payment is `requires_action`: approve the UPI collect request in their app (`upi_collect`), open the intent link or scan its QR code (`upi_intent`), or approve the order at the wallet (`redirect_to_url`). Null otherwise.",
  );

export const Payment = resource(
  "Payment",
  z.strictObject({
    id: prefixedId("pay"),
    object: z.literal("payment"),
    livemode,
    status: z.enum(PAYMENT_STATUSES),
    amount: minorUnits,
    amount_capturable: minorUnits,
    amount_captured: minorUnits,
    amount_refunded: minorUnits,
    currency: currencyCode,
    capture_method: z.enum(["automatic", "manual"]),
    payment_method: paymentMethod,
    next_action: nextAction,
    processor: z
      .string()
      .nullable()
      .describe("The processor that handled the payment, once routed (`upi_switch` for UPI)."),
    decline_code: z.string().nullable(),
    customer: z.string().nullable().describe("Your customer's id, as you sent it."),
    description: z.string().nullable(),
    metadata,
    capture_status: z
      .enum(["pending", "succeeded", "failed"])
      .nullable()
      .describe(
        "A manual capture's fate once asked for: `pending` while its outcome is resolved with the processor, `failed` when the processor refused it or it had no effect.",
      ),
    pending_operation: z
      .strictObject({
        type: z.enum(["authorize", "capture", "cancel", "refund"]),
        amount: minorUnits,
        refund: prefixedId("re").nullable(),
        since: z.string().describe("ISO 8601 time the operation started."),
      })
      .nullable()
      .describe(
        "An operation sent to the processor whose outcome is not known yet (a timeout, a lost answer). The gateway resolves it by inquiry, never by guessing; events follow.",
      ),
    refunds: z.array(Refund),
    attempts: z.array(PaymentAttempt).describe("Its authorization attempts, oldest first."),
    created: unixSeconds,
    updated: unixSeconds,
    version: optimisticVersion,
  }),
  [
    "A payment, by card or by UPI, and possibly refunded.",
    "- **Card**: `processing`, then `authorized` and `captured` (at once, or later with `capture_method: manual`), or `failed`; an authorization can be `voided`.",
    "- **UPI**: `processing` while the switch takes the request, then `requires_action` until the payer approves in their UPI app (see `next_action`), then `captured` (UPI is single-message: the debit is the capture), `failed` (declined, wrong PIN, no funds...) or `expired` (the collect or intent lapsed unpaid, NPCI U69).",
  ].join("\n"),
);

const count = z.number().int().min(0);

export const PaymentSummary = resource(
  "PaymentSummary",
  z.strictObject({
    object: z.literal("payment_summary"),
    livemode,
    created_gte: unixSeconds.describe("The range's start, inclusive."),
    created_lt: unixSeconds.describe("The range's end, exclusive."),
    count: count.describe("Payments created in the range, whatever their state."),
    approved: count.describe(
      "Of those, the ones a processor approved: authorized, captured, partially_refunded, refunded, voided.",
    ),
    declined: count.describe(
      "Of those, the ones that failed. approved / (approved + declined) is the authorization rate.",
    ),
    volume: z
      .array(
        z.strictObject({
          currency: currencyCode,
          captured: minorUnits,
          refunded: minorUnits,
          net: minorUnits.describe("captured - refunded."),
        }),
      )
      .describe("Per currency, the largest net first; minor units are never added across currencies."),
    declines_by_code: z
      .array(z.strictObject({ decline_code: z.string(), count }))
      .describe("The failed payments by `decline_code` (`unknown` when none was given), most first."),
    processors: z
      .array(z.strictObject({ processor: z.string(), count, approved: count, declined: count }))
      .describe("Decided payments (approved or failed) per processor (`none` when none was asked), most first."),
    days: z
      .array(z.strictObject({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), count }))
      .describe("Payments created per UTC day, every day of the range, oldest first."),
  }),
  "Your payments in a range of time, summed: what the dashboard's home page charts.",
);

const PAYMENT_ERRORS = [
  "resource_missing",
  "payment_unexpected_state",
  "payment_operation_pending",
  { code: "processor_unavailable", status: 503 },
] as const;
const PENDING =
  "The operation was sent and its answer has not come yet: the payment shows it in `pending_operation`. Retry with the same Idempotency-Key, or wait for the event.";
const IDEMPOTENCY_ERRORS = ["idempotency_key_reused", "idempotency_key_in_use"] as const;
const secretKey = { kind: "secret_key" } as const;

export const paymentOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/payments",
    operationId: "createPayment",
    tag: "Payments",
    summary: "Create a payment",
    description: [
      "`payment_method` says how the payer pays:",
      '- `{"type": "card", "token": "tok_..."}`: authorizes the tokenized card with the routed processor and, with `capture_method: automatic`, captures it. A decline answers 402 `card_declined` with the failed payment in `error.payment`.',
      '- `{"type": "upi", "upi": {"flow": "collect", "vpa": "name@bank", "expires_after_minutes": 30}}`: sends a collect request to the payer\'s VPA through the UPI switch; the payer approves it in their UPI app.',
      '- `{"type": "upi", "upi": {"flow": "intent", "expires_after_minutes": 30}}`: a `upi://pay` link (with its QR code) for the payer to open in their UPI app.',
      "A UPI payment is in `inr` with `capture_method: automatic` (the debit is the capture), at most the per-transaction limit (1,00,000 INR by default); `expires_after_minutes` (1 to 64,800; by default 8 for a collect, 10 for an intent) bounds the wait for the payer. It answers `requires_action` with its `next_action`, and the outcome comes as an event: `payment.captured`, `payment.failed` or `payment.expired`. A mode with no UPI switch answers `payment_method_unavailable`.",
      '- `{"type": "paypal"}` with `return_url` (and optionally `cancel_url`; either may also go inside `payment_method`): creates an order at the wallet and answers `requires_action` with `next_action.redirect_to_url.url`, its approval page. Send the payer there; after approving (or cancelling) they come back through the gateway, which captures (or, with `capture_method: manual`, authorizes) the order and sends them on, 303, to your `return_url` (`cancel_url`) with `payment_id` and `redirect_status` (`succeeded`, `processing`, `failed` or `canceled`). The outcome also comes as an event. Both URLs must be absolute https URLs (http too in local development). An order nobody approves expires, and the payment with it (`payment.expired`).',
      "The payment takes the mode of the key (a test key's reaches only simulators), and its Idempotency-Key is scoped to the merchant and that mode.",
    ].join("\n"),
    auth: secretKey,
    body: createPaymentSchema,
    idempotent: true,
    success: {
      status: 200,
      description: "The payment: authorized or captured (card), `requires_action` (UPI, PayPal).",
      body: { resource: "Payment" },
    },
    pending: `The payment is \`processing\`. ${PENDING}`,
    // An unknown token is the payment object's own 400 (the payment exists, failed), not a 404.
    errors: [
      "card_declined",
      "card_not_supported",
      "payment_declined",
      "upi_vpa_invalid",
      "payment_method_unavailable",
      "processor_unavailable",
      ...IDEMPOTENCY_ERRORS,
      { code: "resource_missing", status: 400 },
    ],
  },
  {
    method: "get",
    path: "/v1/payments",
    operationId: "listPayments",
    tag: "Payments",
    summary: "List payments",
    description:
      "Newest first, from the projection (seconds behind the payment objects at most). Only the payments of the key's mode.",
    auth: secretKey,
    query: listPaymentsSchema,
    success: { status: 200, description: "A page of payments.", body: { resource: "Payment", list: true } },
  },
  {
    method: "get",
    path: "/v1/payments/summary",
    operationId: "summarizePayments",
    tag: "Payments",
    summary: "Summarize payments",
    description:
      "Totals over the payments created in a range (at most 92 days), in the key's mode: counts, approved and declined, volume per currency, declines by code, outcomes per processor and payments per UTC day. Summed in Postgres from the projection (seconds behind the payment objects at most), so it covers every payment in the range, not a page.",
    auth: secretKey,
    query: paymentSummarySchema,
    success: { status: 200, description: "The summary.", body: { resource: "PaymentSummary" } },
  },
  {
    method: "get",
    path: "/v1/payments/{id}",
    operationId: "retrievePayment",
    tag: "Payments",
    summary: "Retrieve a payment",
    description: "A payment of the other mode than the key's answers 404, as one that does not exist.",
    auth: secretKey,
    success: { status: 200, description: "The payment.", body: { resource: "Payment" } },
    errors: ["resource_missing"],
  },
  {
    method: "get",
    path: "/v1/payments/{id}/events",
    operationId: "listPaymentEvents",
    tag: "Payments",
    summary: "List a payment's state changes",
    description: "The payment object's own journal, oldest first: every transition with its time.",
    auth: secretKey,
    success: {
      status: 200,
      description: "The payment's transitions.",
      body: {
        schema: z.strictObject({
          object: z.literal("list"),
          data: z.array(z.record(z.string(), z.unknown())),
        }),
      },
    },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/payments/{id}/capture",
    operationId: "capturePayment",
    tag: "Payments",
    summary: "Capture an authorized payment",
    description: "Captures all of the authorization, or `amount_to_capture` of it; the rest is released.",
    auth: secretKey,
    body: captureSchema,
    idempotent: true,
    success: { status: 200, description: "The captured payment.", body: { resource: "Payment" } },
    pending: PENDING,
    errors: [...PAYMENT_ERRORS, "card_declined", ...IDEMPOTENCY_ERRORS],
  },
  {
    method: "post",
    path: "/v1/payments/{id}/cancel",
    operationId: "cancelPayment",
    tag: "Payments",
    summary: "Cancel (void) an authorized payment",
    auth: secretKey,
    body: cancelSchema,
    idempotent: true,
    success: { status: 200, description: "The voided payment.", body: { resource: "Payment" } },
    pending: PENDING,
    errors: [...PAYMENT_ERRORS, "card_declined", ...IDEMPOTENCY_ERRORS],
  },
  {
    method: "post",
    path: "/v1/payments/{id}/refund",
    operationId: "refundPayment",
    tag: "Refunds",
    summary: "Refund a captured payment",
    description: "Refunds all that is left, or `amount` of it; never more than was captured.",
    auth: secretKey,
    body: refundSchema,
    idempotent: true,
    success: { status: 200, description: "The payment, with the new refund.", body: { resource: "Payment" } },
    pending: PENDING,
    errors: [...PAYMENT_ERRORS, "card_declined", ...IDEMPOTENCY_ERRORS],
  },
  {
    method: "get",
    path: "/v1/refunds/{id}",
    operationId: "retrieveRefund",
    tag: "Refunds",
    summary: "Retrieve a refund",
    auth: secretKey,
    success: { status: 200, description: "The refund.", body: { resource: "Refund" } },
    errors: ["resource_missing"],
  },
];
