import { randomBase62 } from "../../../common/ids.js";

/**
 * NPCI transaction and message ids: 35 characters, the first three the sending PSP's code
 * (UPI API specification 2.0, Head/@msgId and Txn/@id). The rest is random, so an id says
 * nothing of the payment it belongs to; the payment is found by the reference index.
 */
export const UPI_ORG_ID = "GWY";

export function newUpiTxnId(): string {
  return `${UPI_ORG_ID}${randomBase62(32)}`;
}

export const UPI_TXN_ID = /^[A-Za-z0-9]{35}$/;
