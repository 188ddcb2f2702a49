import type { InquireResponse, OperationResponse, Processor } from "../../common/vault-internal-api.js";
import type { InquiryResult, OperationResult } from "../connectors/card-connector.js";

/** A connector's result in the internal API's wire shape (exhaustive over the result kinds). */
export function operationResponse(processor: Processor, result: OperationResult): OperationResponse {
  switch (result.status) {
    case "approved":
      return {
        outcome: "approved",
        processor,
        processor_reference: result.processorReference,
        auth_code: result.authCode,
      };
    case "declined":
      return {
        outcome: "declined",
        processor,
        processor_reference: result.processorReference,
        decline_code: result.decline.code,
        decline_retry: result.decline.retry,
        network_response_code: result.responseCode,
      };
    case "unknown":
      return {
        outcome: "unknown",
        processor,
        processor_reference: result.processorReference,
        reversal: result.reversal,
      };
    case "unavailable":
      return { outcome: "unavailable", processor, reason: result.reason };
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled connector result ${JSON.stringify(unreachable)}`);
    }
  }
}

export function inquireResponse(result: InquiryResult): InquireResponse {
  switch (result.status) {
    case "approved":
      return { status: "approved", auth_code: result.authCode };
    case "declined":
      return { status: "declined", decline_code: result.decline.code };
    case "reversed":
    case "not_found":
      return { status: result.status };
    case "unavailable":
      return { status: "unavailable", reason: result.reason };
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled inquiry result ${JSON.stringify(unreachable)}`);
    }
  }
}
