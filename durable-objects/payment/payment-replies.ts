import type { OperationResponse } from "../../common/vault-internal-api.js";
import type { PaymentReply } from "./payment-record.js";
import { errorBody } from "./payment-view.js";

/** The error answers of capture, cancel and refund, in DESIGN.md's shape. */
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

  invalidParam(requestId: string, param: string, detail: string): PaymentReply {
    return {
      status: 400,
      body: errorBody(requestId, "invalid_request_error", "parameter_invalid", `Invalid ${param}: ${detail}.`, {
        param,
      }),
    };
  },

  /** A processor that declined (402, with the payment) or did not confirm (502: retry later). */
  processorRefused(requestId: string, outcome: OperationResponse, payment: unknown): PaymentReply {
    if (outcome.outcome === "declined") {
      return {
        status: 402,
        body: errorBody(requestId, "card_error", "card_declined", "The processor declined the request.", {
          decline_code: outcome.decline_code,
          payment,
        }),
      };
    }
    return {
      status: 502,
      body: errorBody(
        requestId,
        "api_error",
        "processor_unavailable",
        "The processor did not confirm the request; retry with the same Idempotency-Key later.",
      ),
    };
  },
};
