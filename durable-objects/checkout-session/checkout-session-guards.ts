import type { Owner } from "../../common/owner.js";
import type { CreatePaymentInput } from "../payment/payment.object.js";
import type { CheckoutSessionRecord } from "./checkout-session-record.js";

/** The session object's checks, each a pure function of what it stores and what it is asked. */

/** Postgres's own reason (drizzle's wrapper repeats the statement and its parameters). */
export function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** The create is this session's payment: its merchant, mode, amount and currency. */
export function paysThis(session: CheckoutSessionRecord, create: CreatePaymentInput): boolean {
  return (
    create.merchantId === session.merchant_id &&
    create.livemode === session.livemode &&
    create.amount === session.amount &&
    create.currency === session.currency &&
    create.paymentId.startsWith("pay_")
  );
}

export function ownedBy(session: CheckoutSessionRecord, owner: Owner): boolean {
  return session.merchant_id === owner.merchantId && session.livemode === owner.livemode;
}

/** Constant time over the secret's length (both are the same fixed length when genuine). */
export function sameSecret(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return diff === 0;
}
