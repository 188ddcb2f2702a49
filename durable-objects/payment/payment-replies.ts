import { upiCode } from "../../common/upi/upi-codes.js";
import type { OperationIntent } from "./operations/operation-intent.js";
import type { PaymentRecord, PaymentReply, RefundRecord } from "./payment-record.js";
import { errorBody, paymentView } from "./payment-view.js";

/** The merchant-facing answers the object builds, in DESIGN.md's shape (stored for replay). */
export const replies = {
  unexpectedState(requestId: string, status: string, operation: string): PaymentReply {
    return {
      status: 409,
      body: errorBody(
        requestId,
        "invalid_request_error",
        "payment_unexpected_state",
        `You cannot ${operation} this payment because its status is ${status}.`,
      ),
    };
  },

  operationPending(requestId: string, pending: OperationIntent, operation: string): PaymentReply {
    const what = pending.kind === "void" ? "cancellation" : pending.kind;
    return {
      status: 409,
      body: errorBody(
        requestId,
        "invalid_request_error",
        "payment_operation_pending",
        `You cannot ${operation} this payment while its ${what} is being resolved with the processor; retry later.`,
      ),
    };
  },

  invalidParam(requestId: string, param: string, detail: string): PaymentReply {
    return {
      status: 400,
      body: errorBody(requestId, "invalid_request_error", "parameter_invalid", `Invalid ${param}: ${detail}.`, {
        param,
      }),
    };
  },

  missing(requestId: string): PaymentReply {
    return {
      status: 404,
      body: errorBody(requestId, "invalid_request_error", "resource_missing", "No such payment.", { param: "id" }),
    };
  },

  /** A create key reused with other parameters (checked against the payment even after the key expired). */
  keyReused(requestId: string): PaymentReply {
    return {
      status: 400,
      body: errorBody(
        requestId,
        "idempotency_error",
        "idempotency_key_reused",
        "This Idempotency-Key was used with different parameters.",
      ),
    };
  },

  refundKeyUsed(requestId: string, refundId: string): PaymentReply {
    return {
      status: 400,
      body: errorBody(
        requestId,
        "idempotency_error",
        "idempotency_key_reused",
        `This Idempotency-Key already made refund ${refundId} of this payment; use a new key for a new refund.`,
      ),
    };
  },

  keyInUse(requestId: string): PaymentReply {
    return {
      status: 409,
      body: errorBody(
        requestId,
        "idempotency_error",
        "idempotency_key_in_use",
        "A request with this Idempotency-Key is still in progress; retry shortly.",
      ),
    };
  },

  /**
   * The answer to a create, from the payment as it stands: the same function answers the first
   * request, a replay after an operation resolved, and a create key whose record expired.
   */
  payment(requestId: string, payment: PaymentRecord, refunds: RefundRecord[], token: string | null): PaymentReply {
    const view = paymentView(payment, refunds);
    if (payment.status === "processing") return { status: 202, body: view };
    if (payment.status !== "failed") return { status: 200, body: view };
    if (payment.payment_method_type === "upi") return replies.upiFailed(requestId, payment, view);
    if (payment.payment_method_type === "paypal") return replies.walletFailed(requestId, payment, view);
    switch (payment.decline_code) {
      case "invalid_token":
        return {
          status: 400,
          body: errorBody(
            requestId,
            "invalid_request_error",
            "resource_missing",
            `No such token: '${token ?? payment.card_token}'.`,
            { param: "payment_method[token]", payment: view },
          ),
        };
      case "processor_unavailable":
        return {
          status: 502,
          body: errorBody(
            requestId,
            "api_error",
            "processor_unavailable",
            "The card could not be sent for authorization. Retry with a new Idempotency-Key.",
            { payment: view },
          ),
        };
      case "card_not_supported":
        return {
          status: 402,
          body: errorBody(
            requestId,
            "card_error",
            "card_not_supported",
            payment.card?.brand
              ? `No processor here accepts ${payment.card.brand} cards.`
              : "No processor here accepts this card.",
            { decline_code: "card_not_supported", payment: view },
          ),
        };
      default:
        return {
          status: 402,
          body: errorBody(requestId, "card_error", "card_declined", "The card was declined.", {
            decline_code: payment.decline_code ?? "generic_decline",
            payment: view,
          }),
        };
    }
  },

  /**
   * A failed UPI payment: the switch never got it (502, retry with a new key: nothing moved), or
   * NPCI's answer, mapped and quoted (`network_code`), as a 402 of its own type: not a card error.
   */
  upiFailed(requestId: string, payment: PaymentRecord, view: unknown): PaymentReply {
    if (payment.decline_code === "processor_unavailable") {
      return {
        status: 502,
        body: errorBody(
          requestId,
          "api_error",
          "processor_unavailable",
          "The payment could not be sent to the UPI switch and nothing was charged. Retry with a new Idempotency-Key.",
          { payment: view },
        ),
      };
    }
    const code = (payment.processor_response?.network_response_code as string | undefined) ?? undefined;
    if (payment.decline_code === "payment_method_not_enabled") {
      return {
        status: 402,
        body: errorBody(
          requestId,
          "payment_method_error",
          "payment_declined",
          "UPI is disabled in this account's routing configuration; nothing was sent.",
          { decline_code: "payment_method_not_enabled", payment: view },
        ),
      };
    }
    return {
      status: 402,
      body: errorBody(
        requestId,
        "payment_method_error",
        "payment_declined",
        `The UPI payment failed: ${upiCode(code).meaning}.`,
        {
          decline_code: payment.decline_code ?? "processing_error",
          ...(code ? { network_code: code } : {}),
          payment: view,
        },
      ),
    };
  },

  /**
   * A wallet payment that failed at its creation: the order never reached the wallet (502, retry
   * with a new key), the wallet is disabled in the merchant's routing, or the wallet refused the
   * order (PayPal's issue quoted as `network_code`). Declines after the payer's approval are seen
   * on the payment itself (GET), as the payer's trip ends at the merchant's return page.
   */
  walletFailed(requestId: string, payment: PaymentRecord, view: unknown): PaymentReply {
    if (payment.decline_code === "processor_unavailable") {
      return {
        status: 502,
        body: errorBody(
          requestId,
          "api_error",
          "processor_unavailable",
          "The payment could not be sent to the wallet and nothing was charged. Retry with a new Idempotency-Key.",
          { payment: view },
        ),
      };
    }
    const issue = (payment.processor_response?.wallet_issue as string | undefined) ?? undefined;
    const disabled = payment.decline_code === "payment_method_not_enabled";
    return {
      status: 402,
      body: errorBody(
        requestId,
        "payment_method_error",
        "payment_declined",
        disabled
          ? "PayPal is disabled in this account's routing configuration; nothing was sent."
          : "The wallet refused the payment.",
        {
          decline_code: payment.decline_code ?? "processing_error",
          ...(issue ? { network_code: issue } : {}),
          payment: view,
        },
      ),
    };
  },

  /** A collect's VPA the switch does not know (ReqValAdd): nothing was created; the switch's code is quoted. */
  vpaInvalid(requestId: string, code: string): PaymentReply {
    return {
      status: 402,
      body: errorBody(
        requestId,
        "payment_method_error",
        "upi_vpa_invalid",
        `The UPI switch does not know this VPA: ${upiCode(code).meaning}.`,
        { param: "payment_method[upi][vpa]", decline_code: upiCode(code).declineCode, network_code: code },
      ),
    };
  },

  /** The switch could not say whether the VPA exists: nothing was created, so the same key may retry. */
  vpaUnchecked(requestId: string): PaymentReply {
    return {
      status: 503,
      body: errorBody(
        requestId,
        "api_error",
        "processor_unavailable",
        "The UPI switch could not validate the VPA and nothing was created; retry with the same Idempotency-Key.",
      ),
    };
  },

  /** The answer to a capture, cancel or refund, from its operation as it stands. */
  operation(requestId: string, intent: OperationIntent, payment: PaymentRecord, refunds: RefundRecord[]): PaymentReply {
    const view = paymentView(payment, refunds);
    if (intent.state === "pending") return { status: 202, body: view };
    switch (intent.result) {
      case "succeeded":
        return { status: 200, body: view };
      case "not_sent":
        if (intent.announced) {
          // Shown as pending, then found never sent: this key's operation is over (failed).
          return {
            status: 502,
            body: errorBody(
              requestId,
              "api_error",
              "processor_unavailable",
              "The processor never received the request and nothing was done; retry with a new Idempotency-Key.",
              { payment: view },
            ),
          };
        }
        // Nothing happened and nothing was shown: the key is freed, so the retry runs it again.
        return {
          status: 503,
          body: errorBody(
            requestId,
            "api_error",
            "processor_unavailable",
            "The processor could not be reached and nothing was done; retry with the same Idempotency-Key.",
          ),
        };
      default:
        // A UPI or wallet refund (or a wallet capture) refused is the payment method's error, not a card's.
        if (payment.payment_method_type !== "card") {
          return {
            status: 402,
            body: errorBody(
              requestId,
              "payment_method_error",
              "payment_declined",
              payment.payment_method_type === "upi"
                ? "The UPI switch declined the request."
                : "The wallet declined the request.",
              {
                decline_code: intent.decline_code ?? "processing_error",
                payment: view,
              },
            ),
          };
        }
        return {
          status: 402,
          body: errorBody(requestId, "card_error", "card_declined", "The processor declined the request.", {
            decline_code: intent.decline_code ?? "processing_error",
            payment: view,
          }),
        };
    }
  },
};
