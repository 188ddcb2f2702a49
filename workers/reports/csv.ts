/**
 * One CSV line (RFC 4180, CRLF): a field is quoted when it holds a comma, a quote or a line break,
 * and text starting with = + - @ (or a tab or CR) gets a leading apostrophe so a spreadsheet does
 * not run it as a formula (OWASP, CSV injection): merchants' free text (descriptions) is in reports.
 */
export function csvLine(fields: readonly (string | null)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export function csvField(value: string | null): string {
  if (value === null) return "";
  const numeric = /^-?\d+$/.test(value);
  const safe = !numeric && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
