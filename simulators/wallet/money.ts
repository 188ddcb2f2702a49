import { CURRENCY_MINOR_UNITS } from "../../common/currencies.js";
import { invalidRequest, unprocessable } from "./paypal-error.js";

/**
 * The currencies PayPal's REST APIs take and their decimals on the wire (developer.paypal.com/api/
 * rest/reference/currency-codes): HUF, JPY and TWD take none, the others two. INR is there for
 * PayPal India accounts, the ones this gateway's merchants have. The wire's decimals are PayPal's;
 * the books count minor units by ISO 4217 (common/currencies.ts), as the gateway does: HUF "150"
 * is 15000 minor units though PayPal writes it without decimals.
 */
export const PAYPAL_CURRENCIES: ReadonlySet<string> = new Set(
  "AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS INR JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD".split(" "),
);
const NO_DECIMALS = new Set(["HUF", "JPY", "TWD"]);
const wireDecimalsOf = (currency: string) => (NO_DECIMALS.has(currency) ? 0 : 2);
const exponentOf = (currency: string) => CURRENCY_MINOR_UNITS.get(currency) ?? 2;

export interface Money {
  currency_code: string;
  value: string;
}

/** `{currency_code, value}` to ISO minor units, with PayPal's issues for what it refuses. `field` is the JSON pointer of the amount. */
export function toMinor(money: Money, field: string): number {
  if (!PAYPAL_CURRENCIES.has(money.currency_code))
    throw unprocessable("INVALID_CURRENCY_CODE", `${field}/currency_code`);
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(money.value);
  if (!match) throw invalidRequest("INVALID_PARAMETER_SYNTAX", `${field}/value`);
  const fraction = match[2] ?? "";
  // PayPal refuses any decimals here, "1500.00" JPY included.
  if (wireDecimalsOf(money.currency_code) === 0 && fraction !== "") {
    throw unprocessable("DECIMALS_NOT_SUPPORTED", `${field}/value`);
  }
  if (fraction.length > 2) throw unprocessable("DECIMAL_PRECISION", `${field}/value`);
  const exponent = exponentOf(money.currency_code);
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || 0);
  if (!Number.isSafeInteger(minor)) throw unprocessable("MAX_VALUE_EXCEEDED", `${field}/value`);
  if (minor <= 0) throw unprocessable("CANNOT_BE_ZERO_OR_NEGATIVE", `${field}/value`);
  return minor;
}

/** ISO minor units as PayPal writes them; the books hold only amounts `toMinor` made, so no fraction is lost. */
export function toMoney(minor: number, currency: string): Money {
  const exponent = exponentOf(currency);
  const digits = String(minor).padStart(exponent + 1, "0");
  const units = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const value = wireDecimalsOf(currency) === 0 || exponent === 0 ? units : `${units}.${fraction}`;
  return { currency_code: currency, value };
}
