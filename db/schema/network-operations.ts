import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { CARD_PROCESSOR_IDS } from "../../common/processor-registry.js";
import {
  type CardSummary,
  LEGACY_PROCESSORS,
  type OperationResponse,
  type Processor,
  type Resolution,
} from "../../common/vault-internal-api.js";
import { createdAt, minorUnits, updatedAt } from "./columns.js";

export const NETWORK_OPERATION_KINDS = ["authorization", "sale", "completion", "reversal", "refund"] as const;
export type NetworkOperationKind = (typeof NETWORK_OPERATION_KINDS)[number];

/**
 * `recorded` (intent written, nothing on the wire) -> `sent` -> a definite state, or `unknown`
 * while the vault still owes the network a `resolution`. `not_sent` is definite too: the
 * operation never reached the wire and now never will (deadline passed, fenced by an inquiry).
 */
export const NETWORK_OPERATION_STATES = [
  "recorded",
  "sent",
  "unknown",
  "approved",
  "declined",
  "no_effect",
  "not_sent",
] as const;
export type NetworkOperationState = (typeof NETWORK_OPERATION_STATES)[number];

/** The unique index that keeps a retrieval reference from being minted twice (see `rrn`). */
export const NETWORK_OPERATIONS_RRN_INDEX = "network_operations_rrn";

const RESOLUTIONS: readonly Resolution[] = [
  "inquiry",
  "reversal",
  "completion_repeat",
  "reversal_repeat",
  "refund_repeat",
];

const list = (values: readonly string[]) => values.map((value) => `'${value}'`).join(", ");

/** A processor id, or (rows from before processors were configuration) the card network at acquirer A. */
export type JournalProcessor = Processor | (typeof LEGACY_PROCESSORS)[number];

/**
 * The vault's operation journal (cardholder data zone; only `vault-service/` reads or writes it).
 * DESIGN invariant 4a on the vault's side: every message to a card network is a row here before
 * it is on the wire, keyed by the edge's operation id, so a retransmission is never sent twice
 * and whatever the vault owes the network after a lost answer (a reversal, a repeat advice)
 * survives a restart. No card number or CVC: `card` is the summary the edge may see.
 */
export const networkOperations = pgTable(
  "network_operations",
  {
    /** The edge's operation id (`op_...`). */
    id: text("id").primaryKey(),
    /** Null only for a tombstone: an id fenced by an inquiry before the vault ever received it. */
    paymentId: text("payment_id"),
    /**
     * Which world the operation belongs to (DESIGN invariant 6): it picks the network link, test
     * (simulators only) or live. Null only for a tombstone.
     */
    livemode: boolean("livemode"),
    kind: text("kind").$type<NetworkOperationKind>(),
    /** The processor id (`common/processor-registry.ts`); `visa` or `mastercard` on rows from before (acquirer A). */
    processor: text("processor").$type<JournalProcessor>(),
    amount: minorUnits("amount"),
    /** ISO 4217 alphabetic, as the edge sent it. */
    currency: text("currency"),
    /** A follow-up's target: the authorization's (or sale's) processor reference. */
    originalReference: text("original_reference"),
    /** This message's own reference (STAN, RRN, transmission time), fixed before the wire. */
    processorReference: text("processor_reference"),
    /**
     * The retrieval reference (ISO 8583 field 37) this message mints for itself: set for an
     * authorization, a sale and a refund at an ISO 8583 acquirer; null for a completion or a
     * reversal, which carry their original's, and at the aggregator, which has none. The acquirer books by (terminal, RRN) and answers a repeated RRN with the booked
     * answer, so an RRN minted twice would merge two payments.
     */
    rrn: text("rrn"),
    state: text("state").$type<NetworkOperationState>().notNull(),
    resolution: text("resolution").$type<Resolution>(),
    /** The answer the edge gets, replayed on retransmission and on inquiry. */
    outcome: jsonb("outcome").$type<OperationResponse>(),
    card: jsonb("card").$type<CardSummary>(),
    /** The edge's deadline: nothing goes on the wire after it (minus the reply margin). */
    deadline: timestamp("deadline", { withTimezone: true, mode: "date" }).notNull(),
    /** The resolver's attempts at the owed work. */
    attempts: integer("attempts").notNull().default(0),
    /** When the resolver looks at the row next (a lease while it works it); null once definite. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The resolver's queue: rows still owed work, by when they are due.
    index("network_operations_due").on(t.nextAttemptAt).where(sql.raw("state in ('recorded', 'sent', 'unknown')")),
    index("network_operations_payment").on(t.paymentId),
    // One terminal per network: (processor, RRN) is what the acquirer books by.
    uniqueIndex(NETWORK_OPERATIONS_RRN_INDEX).on(t.processor, t.rrn).where(sql`${t.rrn} is not null`),
    check("network_operations_id_shape", sql`${t.id} ~ '^op_[0-9A-Za-z_]{8,160}$'`),
    check("network_operations_state", sql.raw(`state in (${list(NETWORK_OPERATION_STATES)})`)),
    check("network_operations_kind", sql.raw(`kind is null or kind in (${list(NETWORK_OPERATION_KINDS)})`)),
    check(
      "network_operations_processor",
      sql.raw(`processor is null or processor in (${list([...CARD_PROCESSOR_IDS, ...LEGACY_PROCESSORS])})`),
    ),
    check("network_operations_resolution", sql.raw(`resolution is null or resolution in (${list(RESOLUTIONS)})`)),
    // Only a tombstone (never received, fenced) lacks what was to be sent.
    check(
      "network_operations_complete",
      sql`${t.state} = 'not_sent' or (${t.paymentId} is not null and ${t.kind} is not null and ${t.livemode} is not null and ${t.processor} is not null and ${t.amount} is not null and ${t.currency} is not null and ${t.processorReference} is not null)`,
    ),
    check("network_operations_amount", sql`${t.amount} is null or (${t.amount} > 0 and ${t.amount} <= 999999999999)`),
    check("network_operations_currency_shape", sql`${t.currency} is null or ${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      "network_operations_follow_up_original",
      sql`${t.kind} is null or ${t.kind} in ('authorization', 'sale') or ${t.originalReference} is not null`,
    ),
    // A message's own RRN is the first 12 characters of its reference; a follow-up claims none.
    check(
      "network_operations_rrn_own",
      sql`${t.rrn} is null or (${t.kind} in ('authorization', 'sale', 'refund') and ${t.rrn} = left(${t.processorReference}, 12))`,
    ),
    check("network_operations_unknown_owes", sql`${t.state} <> 'unknown' or ${t.resolution} is not null`),
    check("network_operations_definite_answer", sql`${t.state} in ('recorded', 'sent') or ${t.outcome} is not null`),
    check(
      "network_operations_due_while_open",
      sql`${t.state} not in ('recorded', 'sent', 'unknown') or ${t.nextAttemptAt} is not null`,
    ),
    check("network_operations_attempts", sql`${t.attempts} >= 0`),
  ],
);
