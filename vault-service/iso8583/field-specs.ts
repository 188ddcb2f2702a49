/**
 * Data elements of ISO 8583:1987 that the card connectors and the acquirer simulator exchange,
 * with their content class and length format as the 1987 standard defines them:
 * n = numeric, an = alphanumeric, ans = alphanumeric + special, z = track 2 charset.
 * Fixed numeric fields are right-justified and zero-filled; fixed alphanumeric ones are
 * left-justified and space-filled. LLVAR / LLLVAR carry a 2- / 3-digit ASCII length prefix.
 */
export type ContentClass = "n" | "an" | "ans" | "z";

export type LengthFormat =
  | { kind: "fixed"; length: number }
  | { kind: "llvar"; max: number }
  | { kind: "lllvar"; max: number };

export interface FieldSpec {
  name: string;
  content: ContentClass;
  format: LengthFormat;
}

const fixed = (length: number) => ({ kind: "fixed", length }) as const;
const llvar = (max: number) => ({ kind: "llvar", max }) as const;
const lllvar = (max: number) => ({ kind: "lllvar", max }) as const;

export const FIELD_SPECS: Readonly<Record<number, FieldSpec>> = {
  2: { name: "Primary account number", content: "n", format: llvar(19) },
  3: { name: "Processing code", content: "n", format: fixed(6) },
  4: { name: "Amount, transaction", content: "n", format: fixed(12) },
  7: { name: "Transmission date and time (MMDDhhmmss)", content: "n", format: fixed(10) },
  11: { name: "System trace audit number (STAN)", content: "n", format: fixed(6) },
  12: { name: "Time, local transaction (hhmmss)", content: "n", format: fixed(6) },
  13: { name: "Date, local transaction (MMDD)", content: "n", format: fixed(4) },
  14: { name: "Date, expiration (YYMM)", content: "n", format: fixed(4) },
  18: { name: "Merchant type (MCC)", content: "n", format: fixed(4) },
  22: { name: "Point of service entry mode", content: "n", format: fixed(3) },
  25: { name: "Point of service condition code", content: "n", format: fixed(2) },
  32: { name: "Acquiring institution identification code", content: "n", format: llvar(11) },
  37: { name: "Retrieval reference number (RRN)", content: "an", format: fixed(12) },
  38: { name: "Authorization identification response", content: "an", format: fixed(6) },
  39: { name: "Response code", content: "an", format: fixed(2) },
  41: { name: "Card acceptor terminal identification", content: "ans", format: fixed(8) },
  42: { name: "Card acceptor identification code", content: "ans", format: fixed(15) },
  43: { name: "Card acceptor name/location", content: "ans", format: fixed(40) },
  48: { name: "Additional data, private", content: "ans", format: lllvar(999) },
  49: { name: "Currency code, transaction (ISO 4217 numeric)", content: "n", format: fixed(3) },
  54: { name: "Additional amounts", content: "an", format: lllvar(120) },
  70: { name: "Network management information code", content: "n", format: fixed(3) },
  90: { name: "Original data elements", content: "n", format: fixed(42) },
  95: { name: "Replacement amounts", content: "an", format: fixed(42) },
  100: { name: "Receiving institution identification code", content: "n", format: llvar(11) },
};

const CONTENT_PATTERNS: Record<ContentClass, RegExp> = {
  n: /^[0-9]*$/,
  an: /^[0-9A-Za-z ]*$/,
  ans: /^[\x20-\x7e]*$/,
  z: /^[0-9=D?;]*$/,
};

export function contentMatches(content: ContentClass, value: string): boolean {
  return CONTENT_PATTERNS[content].test(value);
}
