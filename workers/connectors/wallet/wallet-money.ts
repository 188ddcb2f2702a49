import { CURRENCY_MINOR_UNITS, isCurrency } from "../../../common/currencies.js";
import type { WalletRefusal } from "./wallet-http.js";

/**
 * PayPal's amounts are decimal strings in major units (`{"currency_code": "USD", "value": "499.00"}`);
 * the gateway's are integers of minor units by the ISO 4217 exponent (common/currencies.ts). PayPal
 * takes no decimals for HUF, JPY and TWD (developer.paypal.com/api/rest/reference/currency-codes),
 * though ISO gives HUF and TWD two: there an amount must be a whole number of units. The wallet
 * simulator (simulators/wallet/money.ts) keeps PayPal's list on its side, and its tests check that
 * the two convert alike.
 */
const NO_DECIMALS = new Set(["HUF", "JPY", "TWD"]);

/** A PayPal `value`: digits, and a fraction after a dot (their pattern, at most 32 characters). */
const VALUE = /^(\d{1,18})(?:\.(\d{1,12}))?$/;

/**
 * The `value` PayPal takes for `minor` units of `currency`, or null when PayPal cannot be sent it:
 * an unknown currency, a negative or fractional count, or a fraction of a unit where PayPal takes
 * whole units only (HUF 150.50 cannot be paid through PayPal).
 */
export function paypalValue(minor: number, currency: string): string | null {
  const exponent = CURRENCY_MINOR_UNITS.get(currency);
  if (exponent === undefined || !Number.isSafeInteger(minor) || minor < 0) return null;
  const digits = String(minor).padStart(exponent + 1, "0");
  const units = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  if (NO_DECIMALS.has(currency)) return /^0*$/.test(fraction) ? units : null;
  return exponent === 0 ? units : `${units}.${fraction}`;
}

/**
 * Minor units of a PayPal amount, or null when it is not one this gateway can hold: an unknown
 * currency, or digits below the currency's minor unit that are not zeros. Exact: no floating point
 * touches the fraction.
 */
export function minorUnits(value: string, currency: string): number | null {
  const exponent = CURRENCY_MINOR_UNITS.get(currency);
  const match = VALUE.exec(value);
  if (exponent === undefined || !match) return null;
  const fraction = match[2] ?? "";
  if (/[^0]/.test(fraction.slice(exponent))) return null;
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.slice(0, exponent).padEnd(exponent, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

/** An amount in the gateway's terms. */
export interface WalletAmount {
  minor: number;
  currency: string;
}

/**
 * PayPal's `{currency_code, value}` for an amount; for one it cannot be sent, the refusal PayPal
 * would answer with (its issue names), made here without a call: definite, as nothing was sent.
 */
export function paypalMoney(amount: WalletAmount): { currency_code: string; value: string } | WalletRefusal {
  const value = paypalValue(amount.minor, amount.currency);
  if (value !== null) return { currency_code: amount.currency, value };
  const issue = !isCurrency(amount.currency)
    ? "CURRENCY_NOT_SUPPORTED"
    : amount.minor > 0
      ? "DECIMALS_NOT_SUPPORTED"
      : "CANNOT_BE_ZERO_OR_NEGATIVE";
  return { kind: "refused", status: 422, issue, debugId: null };
}
