import type { MiddlewareHandler } from "hono";
import { invalidRequest, mockStatus, PayPalFailure } from "./paypal-error.js";

/**
 * The sandbox's negative testing (developer.paypal.com/tools/sandbox/negative-testing/request-
 * headers): `PayPal-Mock-Response: {"mock_application_codes": "INSTRUMENT_DECLINED"}` makes the
 * call fail with that issue, before anything happens (nothing is booked, nothing kept under its
 * `PayPal-Request-Id`). The status follows the issue (INVALID_RESOURCE_ID is a 404, most are 422).
 */
export function mockResponses(): MiddlewareHandler {
  return async function paypalMockResponse(c, next) {
    const header = c.req.header("PayPal-Mock-Response");
    if (header === undefined) return next();
    let code: unknown;
    try {
      code = (JSON.parse(header) as { mock_application_codes?: unknown }).mock_application_codes;
    } catch {
      code = undefined;
    }
    if (typeof code !== "string" || !/^[A-Z0-9_]{1,100}$/.test(code)) {
      throw invalidRequest("INVALID_PARAMETER_SYNTAX", "PayPal-Mock-Response", "header");
    }
    throw new PayPalFailure(mockStatus(code), [{ issue: code }]);
  };
}
