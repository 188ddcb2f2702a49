/**
 * What must never appear in a log line or a database row in clear: full API keys, ops client
 * secrets, webhook secrets, bearer JWTs and Luhn-valid card numbers (PCI DSS 3.4, 10.3).
 */
const PATTERNS: [string, RegExp][] = [
  ["api key", /\b(?:sk|pk)_(?:test|live)_[0-9A-Za-z]{32}\b/g],
  ["ops client secret", /\bocs_[0-9A-Za-z]{40}\b/g],
  ["webhook secret", /\bwhsec_[0-9A-Za-z+/=]{24,}/g],
  ["jwt", /\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/g],
];

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * A 13-digit number starting with 1 or 2 is a millisecond timestamp (2001-2049), like drizzle's
 * migration journal `created_at`; one in ten passes Luhn by chance. No card network issues
 * 13-digit numbers there (13-digit PANs are old Visa, starting with 4).
 */
function epochMilliseconds(digits: string): boolean {
  return digits.length === 13 && (digits[0] === "1" || digits[0] === "2");
}

/** Every secret-looking string in `text`, labelled by kind. */
export function findSecrets(text: string): string[] {
  const found: string[] = [];
  for (const [kind, pattern] of PATTERNS) {
    for (const match of text.matchAll(pattern)) found.push(`${kind}: ${match[0].slice(0, 12)}...`);
  }
  // Hex digests and Postgres bytea (`\x` + hex) are random, and their digit runs pass Luhn by
  // chance; a PAN in clear stands alone (between quotes, spaces or punctuation), so a digit run
  // glued to letters is part of such a token and is skipped. A PAN stored as bytes would be
  // hex-encoded ASCII (0x34 0x32 ...), not its digits.
  const withoutBytea = text.replace(/\\x[0-9a-fA-F]+/g, "\\x");
  for (const match of withoutBytea.matchAll(/(?<![\dA-Za-z.])\d{13,19}(?![\dA-Za-z.])/g)) {
    if (epochMilliseconds(match[0])) continue;
    if (luhnValid(match[0])) found.push(`card number: ${match[0].slice(0, 6)}...`);
  }
  return found;
}

/** Log lines seen during a test run, shared between vitest's config and its global setup. */
const shared = globalThis as { __gatewayLogLeaks?: string[] };
shared.__gatewayLogLeaks ??= [];
const leaks = shared.__gatewayLogLeaks;

export function checkLogLine(line: string): void {
  for (const secret of findSecrets(line)) leaks.push(secret);
}

export function logLeaks(): readonly string[] {
  return leaks;
}
