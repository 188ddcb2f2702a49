import { EVENT_TYPES, type EventType } from "./event-types.js";

type EventObject = "Payment" | "Refund" | "Dispute" | "Settlement" | "Report" | "CheckoutSession";

/**
 * The object an event of each type carries in `data.object`, and when it is sent (exhaustive: a
 * new type must say).
 */
const EVENT_DOCS: Record<EventType, { object: EventObject; when: string }> = {
  "payment.created": { object: "Payment", when: "A payment was created." },
  "payment.processing": { object: "Payment", when: "The payment was sent to its processor." },
  "payment.requires_action": {
    object: "Payment",
    when: "A UPI or PayPal payment waits for the payer: `next_action` says how (a collect request to their VPA, an intent link and QR code, or the wallet's approval page).",
  },
  "payment.authorized": { object: "Payment", when: "The card was authorized; with manual capture, capture it later." },
  "payment.captured": {
    object: "Payment",
    when: "The money was taken: a card capture succeeded, or the UPI payer approved and was debited.",
  },
  "payment.capture_failed": { object: "Payment", when: "A manual capture was refused or had no effect." },
  "payment.failed": {
    object: "Payment",
    when: "The payment failed: declined by the issuer or the payer, or refused by the processor.",
  },
  "payment.voided": { object: "Payment", when: "An authorization was cancelled, by you or on expiry." },
  "payment.expired": {
    object: "Payment",
    when: "A UPI collect request or intent, or a wallet order, lapsed before the payer acted: no money moved.",
  },
  "payment.partially_refunded": { object: "Payment", when: "Part of the captured amount was refunded." },
  "payment.refunded": { object: "Payment", when: "All of the captured amount was refunded." },
  "refund.processed": { object: "Refund", when: "A refund succeeded." },
  "refund.failed": { object: "Refund", when: "A refund failed; the money stays with you." },
  "dispute.created": { object: "Dispute", when: "The network opened a chargeback on a captured payment." },
  "dispute.updated": { object: "Dispute", when: "A dispute changed status." },
  "dispute.closed": {
    object: "Dispute",
    when: "The network decided the dispute: `won` (the disputed amount comes back to your balance) or `lost`.",
  },
  "settlement.created": {
    object: "Settlement",
    when: "A settlement batch was cut: the business day's balance transactions in one currency.",
  },
  "settlement.paid": { object: "Settlement", when: "A settlement batch was paid out: its net is on its way to you." },
  "report.ready": { object: "Report", when: "A report you asked for is ready: retrieve it for a download link." },
  "report.failed": {
    object: "Report",
    when: "A report you asked for could not be made (`failure_code` says why); ask for it again.",
  },
  "checkout.session.completed": {
    object: "CheckoutSession",
    when: "The customer paid on the hosted checkout page: `payment` is the captured payment.",
  },
  "checkout.session.expired": {
    object: "CheckoutSession",
    when: "A hosted checkout session ended unpaid: its time ran out, or you expired it.",
  },
};

const header = (description: string) => ({ required: true, description, schema: { type: "string" } });

/**
 * OpenAPI 3.1's `webhooks`: what the gateway POSTs to a merchant's endpoint for each event type,
 * signed per Standard Webhooks and rendered in the endpoint's `api_version`.
 */
export function webhookDescriptions(): Record<string, unknown> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replaceAll(".", "_")}`,
          tags: ["Webhooks"],
          summary: `${type}: sent to endpoints subscribed to it (or to *)`,
          description: EVENT_DOCS[type].when,
          // The gateway calls the merchant here; the Standard Webhooks signature is the proof.
          security: [],
          parameters: [
            {
              name: "webhook-id",
              in: "header",
              ...header("The event id: the same on every retry (deduplicate on it)."),
            },
            {
              name: "webhook-timestamp",
              in: "header",
              ...header("Unix seconds; refuse anything older than 5 minutes."),
            },
            {
              name: "webhook-signature",
              in: "header",
              ...header(
                "`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the endpoint's secret; two during a rotation.",
              ),
            },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  allOf: [
                    { $ref: "#/components/schemas/Event" },
                    {
                      properties: {
                        type: { const: type },
                        data: { properties: { object: { $ref: `#/components/schemas/${EVENT_DOCS[type].object}` } } },
                      },
                    },
                  ],
                },
              },
            },
          },
          responses: {
            "200": {
              description: "Any 2xx acknowledges the delivery; anything else is retried (410 disables the endpoint).",
            },
          },
        },
      },
    ]),
  );
}
