import { CURRENCY_MINOR_UNITS } from "../../common/currencies.js";

/**
 * An amount in minor units as a customer reads it: the currency's ISO 4217 exponent places the
 * decimal point (1999 USD is $19.99, 1999 JPY is ¥1,999, 1999 BHD is BHD 1.999). The decimal is
 * built from integers and handed to Intl as a string, so no float ever rounds a price.
 */
export function formatAmount(amount: number, currency: string, locale = "en-US"): string {
  const code = currency.toUpperCase();
  const exponent = CURRENCY_MINOR_UNITS.get(code) ?? 2;
  const scale = 10 ** exponent;
  const major = Math.floor(amount / scale);
  const minor = String(amount % scale).padStart(exponent, "0");
  const decimal = exponent === 0 ? String(major) : `${major}.${minor}`;
  const format = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: code,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // ES2023 Intl.NumberFormat v3: a string is formatted as the exact decimal it spells.
  return format.format(decimal as unknown as number);
}
