import { type Cost, type Step, sumSteps } from "./cost.js";
import {
  apiRequest,
  cardIntent,
  drain,
  finishRequest,
  followUpIntent,
  keyedRequest,
  rearm,
  routingFacts,
  tokenize,
  vaultAuthorize,
  vaultFollowUp,
} from "./steps.js";

/**
 * Each kind of payment as the code runs it on its happy path (approved at the first processor,
 * every request under an Idempotency-Key as DESIGN.md asks), step by step. A decline costs less
 * (three transitions, no balance entry); a failover adds an attempt (intent, vault call, record).
 */
export const KINDS = ["card_auto", "card_manual", "upi_collect", "wallet", "refund"] as const;
export type Kind = (typeof KINDS)[number];

const DO = "durable-objects/payment";

const cardAuto: Step[] = [
  tokenize,
  apiRequest("POST /v1/payments (card, automatic capture)"),
  routingFacts,
  keyedRequest("create"),
  cardIntent,
  vaultAuthorize,
  {
    what: "settle: authorized, then captured",
    where: `${DO}/operations/settle-operation.ts settleOperation -> settle-authorization.ts: patch, transition authorized, transition captured (3 rows each), saveOperation; attempt-health.ts reportAttemptHealth; workers/settlement/balance-entries.ts (payment.captured)`,
    objectRows: 8,
    transitions: 2,
    merchantEvents: 2,
    healthRecords: 1,
    balanceEntries: 1,
  },
  finishRequest,
  drain(4),
];

const cardManual: Step[] = [
  tokenize,
  apiRequest("POST /v1/payments (card, manual capture)"),
  routingFacts,
  keyedRequest("create"),
  cardIntent,
  vaultAuthorize,
  {
    what: "settle: authorized, void_at set",
    where: `${DO}/operations/settle-authorization.ts settleAuthorization: patch, transition authorized, saveOperation; attempt-health.ts reportAttemptHealth`,
    objectRows: 5,
    transitions: 1,
    merchantEvents: 1,
    healthRecords: 1,
  },
  finishRequest,
  drain(3),
  rearm,
  apiRequest("POST /v1/payments/{id}/capture"),
  keyedRequest("capture"),
  followUpIntent,
  vaultFollowUp,
  {
    what: "settle the capture",
    where: `${DO}/operations/settle-operation.ts settleOperation (capture): patch, transition captured, saveOperation; balance-entries.ts (payment.captured)`,
    objectRows: 5,
    transitions: 1,
    merchantEvents: 1,
    balanceEntries: 1,
  },
  finishRequest,
  drain(1),
];

const upiCollect: Step[] = [
  apiRequest("POST /v1/payments (UPI collect)"),
  routingFacts,
  keyedRequest("create"),
  {
    what: "check the payer's VPA (ReqValAdd)",
    where: `${DO}/payment.object.ts vpaRefusal -> workers/connectors/upi/upi-switch-calls.ts validateVpa`,
    processorCalls: 1,
  },
  {
    what: "persist the ReqPay intent",
    where: `${DO}/upi/start-upi-payment.ts startUpiPayment: create + transition processing, saveOperation, IdempotencyKeys.link; setAlarm(first status check)`,
    newPayments: 1,
    objectRows: 8,
    transitions: 2,
    merchantEvents: 2,
    operations: 1,
    alarmSets: 1,
  },
  {
    what: "claim the transaction id",
    where: `${DO}/upi/upi-reference.ts claimUpiTxn -> durable-objects/processor-references/processor-reference.object.ts claim`,
    referenceCalls: 1,
    referenceObjects: 1,
  },
  {
    what: "ReqPay, Ack: the payer's turn",
    where: `workers/connectors/upi/upi-switch-client.ts sendReqPay; ${DO}/upi/apply-upi-answer.ts (pending -> transition requires_action)`,
    processorCalls: 1,
    objectRows: 3,
    transitions: 1,
    merchantEvents: 1,
  },
  finishRequest,
  drain(3),
  rearm,
  {
    what: "RespPay callback: captured",
    where: `workers/connectors/upi/upi-callback.routes.ts (ProcessorReferenceObject.owner) -> ${DO}/payment.object.ts upiAnswer -> apply-upi-answer.ts settlePayment: transition captured, saveOperation; reportAttemptHealth; scheduleAlarm`,
    inboundCalls: 1,
    referenceCalls: 1,
    objectRequests: 1,
    objectRows: 4,
    transitions: 1,
    merchantEvents: 1,
    healthRecords: 1,
    balanceEntries: 1,
    alarmSets: 1,
  },
  drain(1),
];

const wallet: Step[] = [
  apiRequest("POST /v1/payments (wallet)"),
  routingFacts,
  keyedRequest("create"),
  {
    what: "persist the order's intent",
    where: `${DO}/wallet/start-wallet-payment.ts startWalletPayment: create + transition processing, saveOperation, IdempotencyKeys.link; setAlarm`,
    newPayments: 1,
    objectRows: 8,
    transitions: 2,
    merchantEvents: 2,
    operations: 1,
    alarmSets: 1,
  },
  {
    what: "create the order: the payer's turn",
    where: `${DO}/wallet/advance-wallet-payment.ts makeOrder (createOrder), noteOrder, settle-wallet-payment.ts awaitPayer (transition requires_action), later (saveOperation)`,
    processorCalls: 1,
    objectRows: 5,
    transitions: 1,
    merchantEvents: 1,
  },
  finishRequest,
  drain(3),
  rearm,
  {
    what: "payer returns: approved, captured",
    where: `workers/connectors/wallet/wallet-pages.routes.ts -> ${DO}/payment.object.ts walletReturn -> advance-wallet-payment.ts readOrder (getOrder), noteOrder, payerApproved (transition processing), act (saveOperation, captureOrder), walletCaptured (saveOperation, transition captured); reportAttemptHealth; scheduleAlarm`,
    inboundCalls: 1,
    objectRequests: 1,
    processorCalls: 2,
    objectRows: 9,
    transitions: 2,
    merchantEvents: 2,
    healthRecords: 1,
    balanceEntries: 1,
    alarmSets: 1,
  },
  drain(2),
  {
    what: "two wallet webhooks (order approved, capture completed): nothing left to do",
    where: `workers/connectors/wallet/wallet-webhook.routes.ts -> ${DO}/payment.object.ts walletNotified (mutation: scheduleAlarm), then the alarm runs empty`,
    inboundCalls: 2,
    objectRequests: 4,
    alarmSets: 2,
  },
];

const refund: Step[] = [
  apiRequest("POST /v1/payments/{id}/refund"),
  keyedRequest("refund"),
  followUpIntent,
  vaultFollowUp,
  {
    what: "settle the refund",
    where: `${DO}/operations/settle-operation.ts settleOperation (refund): patch, transition refunded (state, refund_state, log, outbox), saveOperation; payment-message-events.ts (payment.refunded, refund.processed); balance-entries.ts (refund)`,
    objectRows: 6,
    transitions: 1,
    merchantEvents: 2,
    balanceEntries: 1,
  },
  finishRequest,
  { ...drain(1), refundUpserts: 1 },
];

export const FLOWS: Readonly<Record<Kind, readonly Step[]>> = {
  card_auto: cardAuto,
  card_manual: cardManual,
  upi_collect: upiCollect,
  wallet,
  refund,
};

/** One flow's whole cost. */
export function flowCost(kind: Kind): Cost {
  return sumSteps(FLOWS[kind]);
}
