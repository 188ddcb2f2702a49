/** A field as RFC 4180 §2 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const csvRow = (fields: readonly string[]) => fields.map(csvField).join(",");

/** Minor units as a decimal in major units (`-345` with exponent 2 is `-3.45`; JPY's `500` is `500`). */
export function decimalOf(minor: number, exponent: number): string {
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  const units = digits.slice(0, digits.length - exponent);
  const sign = minor < 0 ? "-" : "";
  return exponent === 0 ? `${sign}${units}` : `${sign}${units}.${digits.slice(digits.length - exponent)}`;
}
