import { containsCardNumber } from "../../common/card-like-text.js";
import { ApiError } from "../errors/api-error.js";

/**
 * A merchant's page the customer's browser is sent to (a checkout session's `success_url` and
 * `cancel_url`, a wallet payment's return and cancel URLs): absolute, https outside local
 * development (an id rides in it, and plain http can be rewritten on the way), http too in
 * development, never another scheme (`javascript:`, `data:`), no credentials, nothing shaped like
 * a card number (it is stored and shown). Returned as written.
 */
export function merchantPageUrl(text: string, param: string, localDevelopment: boolean): string {
  const invalid = (message: string) => new ApiError("parameter_invalid", { param, message });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`${param} must be an absolute URL, such as https://shop.example/return.`);
  }
  const allowed = url.protocol === "https:" || (localDevelopment && url.protocol === "http:");
  if (!allowed) {
    throw invalid(
      localDevelopment
        ? `${param} must be an http or https URL.`
        : `${param} must be an https URL (http is allowed in local development only).`,
    );
  }
  if (url.username || url.password) throw invalid(`${param} must not carry a user name or password.`);
  if (containsCardNumber(text)) {
    throw invalid(`${param} must not contain a card number (13-19 digits that pass the Luhn check).`);
  }
  // Kept as written: `new URL` would percent-encode Stripe's `{CHECKOUT_SESSION_ID}` placeholder.
  return text;
}
