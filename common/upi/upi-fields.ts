import { randomBase62 } from "../ids.js";

/** The NPCI schema namespace every message's root is in. */
export const UPI_NAMESPACE = "http://npci.org/upi/schema/";

/** Largest message accepted (UTF-8 bytes): UPI messages are a few KiB; more is an attack or a bug. */
export const MAX_UPI_MESSAGE_BYTES = 64 * 1024;

/**
 * Txn and message ids: 35 alphanumerics. NPCI declines ids with special characters since
 * 1 Feb 2025 (circular of 9 Jan 2025, citing OC 193 of 28 Mar 2024).
 */
export const UPI_ID_PATTERN = /^[A-Za-z0-9]{35}$/;

/** A new txn or message id for `orgId` (its first three characters), e.g. `GWY` + 32 random base62. */
export function newUpiId(orgId: string): string {
  if (!/^[A-Za-z0-9]{3}/.test(orgId)) throw new RangeError(`orgId must start with 3 alphanumerics: ${orgId}`);
  return `${orgId.slice(0, 3)}${randomBase62(32)}`;
}

/** Whether `ts` is ISO 8601 with seconds and a zone, and a real instant. */
export function isUpiTimestamp(ts: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(ts) && !Number.isNaN(Date.parse(ts))
  );
}

export const ORG_ID_PATTERN = /^[A-Za-z0-9]{3,20}$/;
/** errCode, respCode: `00`, `ZA`, `U30`. */
export const UPI_CODE_PATTERN = /^[A-Z0-9]{2,3}$/;
/** The RRN: 12 digits. */
export const CUST_REF_PATTERN = /^\d{12}$/;
export const APPROVAL_NUM_PATTERN = /^[A-Za-z0-9]{1,12}$/;
export const INITIATION_MODE_PATTERN = /^\d{2}$/;
/** Key ids in a Signature's KeyName. */
export const KID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Collect and intent expiry, minutes (Juspay documents 1..64,800; NPCI's own bounds are UNCONFIRMED). */
export const MIN_EXPIRE_MINUTES = 1;
export const MAX_EXPIRE_MINUTES = 64_800;

/**
 * Free text (names, notes, references): printable, no control characters (an attribute's line
 * breaks would not survive XML attribute-value normalisation, XML 1.0 §3.3.3), bounded.
 */
export function isUpiText(value: string, maxLength: number): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  return value.length >= 1 && value.length <= maxLength && !/[\u0000-\u001f\u007f]/.test(value);
}
