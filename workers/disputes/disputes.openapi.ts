import { z } from "zod";
import { DISPUTE_STATUSES } from "../../db/schema/index.js";
import {
  currencyCode,
  livemode,
  minorUnits,
  optimisticVersion,
  prefixedId,
  resource,
  unixSeconds,
} from "../openapi/fields.js";
import type { Operation } from "../openapi/operation.js";
import { evidenceSchema, listSchema } from "./disputes.schemas.js";
import { chargebackSchema, outcomeSchema } from "./network-disputes.schemas.js";

export const Dispute = resource(
  "Dispute",
  z.strictObject({
    id: prefixedId("dp"),
    object: z.literal("dispute"),
    livemode: livemode.describe("The disputed payment's mode."),
    payment: prefixedId("pay"),
    amount: minorUnits,
    currency: currencyCode,
    reason: z.string(),
    status: z
      .enum(DISPUTE_STATUSES)
      .describe(
        "`needs_response` when opened, `under_review` once you sent evidence, then `won` or `lost` when the network decides (final).",
      ),
    evidence: z.strictObject({ text: z.string(), submitted: unixSeconds }).nullable(),
    network_reference: z.string(),
    created: unixSeconds,
    updated: unixSeconds,
    version: optimisticVersion,
  }),
  "A chargeback the card network raised against one of your payments. Opening it takes its amount from your balance (a `dispute` balance transaction); winning it gives the amount back (a `dispute_reversal`).",
);

export const disputeOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/disputes",
    operationId: "listDisputes",
    tag: "Disputes",
    summary: "List disputes",
    auth: { kind: "secret_key" },
    query: listSchema,
    success: { status: 200, description: "A page of disputes.", body: { resource: "Dispute", list: true } },
  },
  {
    method: "get",
    path: "/v1/disputes/{id}",
    operationId: "retrieveDispute",
    tag: "Disputes",
    summary: "Retrieve a dispute",
    auth: { kind: "secret_key" },
    success: { status: 200, description: "The dispute.", body: { resource: "Dispute" } },
    errors: ["resource_missing"],
  },
  {
    method: "post",
    path: "/v1/disputes/{id}/evidence",
    operationId: "submitDisputeEvidence",
    tag: "Disputes",
    summary: "Submit evidence",
    auth: { kind: "secret_key" },
    body: evidenceSchema,
    success: { status: 200, description: "The dispute, now under review.", body: { resource: "Dispute" } },
    errors: ["resource_missing", "dispute_closed"],
  },
  {
    method: "post",
    path: "/internal/v1/disputes",
    operationId: "recordNetworkDispute",
    tag: "Internal",
    summary: "Record a chargeback from the card network (vault only)",
    description: "Called by the vault's connector service; idempotent per network reference.",
    auth: { kind: "vault_service" },
    body: chargebackSchema,
    success: { status: 200, description: "The dispute.", body: { resource: "Dispute" } },
    errors: ["resource_missing", "chargeback_ambiguous"],
  },
  {
    method: "post",
    path: "/internal/v1/disputes/outcomes",
    operationId: "closeNetworkDispute",
    tag: "Internal",
    summary: "Record the card network's decision on a chargeback (vault only)",
    description:
      "Called by the vault's connector service: closes the dispute `won` (with a `dispute_reversal` of its amount) or `lost`, once, with `dispute.closed`. The same decision again answers the same; the other one is refused.",
    auth: { kind: "vault_service" },
    body: outcomeSchema,
    success: { status: 200, description: "The dispute, closed.", body: { resource: "Dispute" } },
    errors: ["resource_missing", "dispute_outcome_conflict"],
  },
];

export const disputeResources = [Dispute];
