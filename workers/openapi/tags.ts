/** What each tag of the reference groups (a tag with no description here fails the document test). */
export const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Payments: "Card payments: create (authorize, and capture at once or later), capture, cancel, read and list.",
  Checkout: "Hosted checkout sessions: a page the gateway serves where your customer pays, then returns to your site.",
  Refunds: "Money returned to the card of a captured payment, in part or whole.",
  Events: "Every change to your objects, as stored events you can list, read and have resent.",
  "Webhook endpoints": "Where events are delivered, signed per Standard Webhooks, with their delivery log.",
  Webhooks: "What the gateway POSTs to your endpoints, one operation per event type.",
  Disputes: "Chargebacks opened by the card networks, and the evidence you answer them with.",
  Routing: "Which processor each payment goes to: your rules, versioned, and a dry run that explains a decision.",
  "API keys": "Your secret and publishable keys: create, roll, revoke.",
  Merchant: "Your account's profile, settlement settings and default API version.",
  "Request logs": "A redacted summary of each of your API requests, kept 30 days.",
  Dashboard:
    "Sign-in, sessions, the second factor and users of the merchant dashboard, which uses the same `/v1` API through its session.",
  Platform: "Health, the OpenAPI document and this reference.",
  "Ops: authentication": "OAuth 2.0 client credentials for the gateway's operators, and their signing keys.",
  "Ops: merchants": "Operators onboard merchants and mint their live keys.",
  "Ops: dead letters": "Messages a queue consumer gave up on, parked in R2, listed and replayed by operators.",
  Internal: "Calls between the gateway's own zones (the vault to the edge); not for merchants.",
};
