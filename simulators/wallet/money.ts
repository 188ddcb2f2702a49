import { invalidRequest, unprocessable } from "./paypal-error.js";

/**
 * The currencies PayPal's REST APIs take and their decimals (developer.paypal.com/api/rest/
 * reference/currency-codes): HUF, JPY and TWD take none. INR is there for PayPal India accounts,
 * the ones this gateway's merchants have. Amounts are decimal strings on the wire (`"499.00"`)
 * and integers of minor units everywhere else.
 */
const CURRENCIES = new Set(
  "AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS INR JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD".split(" "),
);
const NO_DECIMALS = new Set(["HUF", "JPY", "TWD"]);
const decimalsOf = (currency: string) => (NO_DECIMALS.has(currency) ? 0 : 2);

export interface Money {
  currency_code: string;
  value: string;
}

/** `{currency_code, value}` to minor units, with PayPal's issues for what it refuses. `field` is the JSON pointer of the amount. */
export function toMinor(money: Money, field: string): number {
  if (!CURRENCIES.has(money.currency_code)) throw unprocessable("INVALID_CURRENCY_CODE", `${field}/currency_code`);
  const decimals = decimalsOf(money.currency_code);
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(money.value);
  if (!match) throw invalidRequest("INVALID_PARAMETER_SYNTAX", `${field}/value`);
  const fraction = match[2] ?? "";
  if (decimals === 0 && fraction !== "") throw unprocessable("DECIMALS_NOT_SUPPORTED", `${field}/value`);
  if (fraction.length > 2) throw unprocessable("DECIMAL_PRECISION", `${field}/value`);
  const minor = Number(match[1]) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || 0);
  if (!Number.isSafeInteger(minor)) throw unprocessable("MAX_VALUE_EXCEEDED", `${field}/value`);
  if (minor <= 0) throw unprocessable("CANNOT_BE_ZERO_OR_NEGATIVE", `${field}/value`);
  return minor;
}

export function toMoney(minor: number, currency: string): Money {
  const value =
    decimalsOf(currency) === 0 ? String(minor) : `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
  return { currency_code: currency, value };
}
