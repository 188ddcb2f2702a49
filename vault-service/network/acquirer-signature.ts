import { createHmac, timingSafeEqual } from "node:crypto";

/** Notifications older (or newer) than this are refused: a captured one cannot be replayed later. */
const TOLERANCE_SECONDS = 300;

/**
 * The acquirer signs what it pushes to us (chargeback advices) with a secret both sides hold:
 * header `Acquirer-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * simulators/acquirer/chargeback-notifier.ts makes the same header.
 */
export function acquirerSignature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", Buffer.from(secret, "base64")).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

export function verifyAcquirerSignature(secret: string, header: string | undefined, body: string, now = Date.now()) {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(now / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(acquirerSignature(secret, timestamp, body));
  const given = Buffer.from(header ?? "");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
