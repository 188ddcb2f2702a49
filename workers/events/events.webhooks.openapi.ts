import { EVENT_TYPES, type EventType } from "./event-types.js";

/** The object an event of each type carries in `data.object` (exhaustive: a new type must say). */
const EVENT_OBJECT: Record<EventType, "Payment" | "Refund" | "Dispute"> = {
  "payment.created": "Payment",
  "payment.processing": "Payment",
  "payment.authorized": "Payment",
  "payment.captured": "Payment",
  "payment.capture_failed": "Payment",
  "payment.failed": "Payment",
  "payment.voided": "Payment",
  "payment.partially_refunded": "Payment",
  "payment.refunded": "Payment",
  "refund.processed": "Refund",
  "refund.failed": "Refund",
  "dispute.created": "Dispute",
  "dispute.updated": "Dispute",
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
          operationId: `webhook_${type.replace(".", "_")}`,
          tags: ["Webhooks"],
          summary: `${type}: sent to endpoints subscribed to it (or to *)`,
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
                        data: { properties: { object: { $ref: `#/components/schemas/${EVENT_OBJECT[type]}` } } },
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
