/**
 * The name of the object a create with an Idempotency-Key goes to: one per (merchant, mode, key),
 * so two requests with one key meet in the same object, even from different isolates, and the
 * same key in test and in live mode makes two payments (DESIGN invariants 3 and 6).
 *
 * Test mode keeps the name it had before modes, so a test key retried across the upgrade still
 * finds its payment. Live names put `:live` after the merchant id, where no test name can have it:
 * a merchant id is `acct_` and base62, and the key only starts after the first `/`.
 */
export function paymentObjectName(merchantId: string, livemode: boolean, idempotencyKey: string): string {
  return livemode ? `${merchantId}:live/${idempotencyKey}` : `${merchantId}/${idempotencyKey}`;
}
