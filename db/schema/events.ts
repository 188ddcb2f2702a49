import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { merchants } from "./merchants.js";

/**
 * Merchant-facing events (`evt_...`): the object as it was after a change. Stored once per
 * (object, version, type) whatever the redelivery; immutable like `payment_events`.
 */
export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    /** DESIGN invariant 6: test and live are two worlds; every query and check names the mode. */
    livemode: boolean("livemode").notNull(),
    type: text("type").notNull(),
    objectId: text("object_id").notNull(),
    objectVersion: integer("object_version").notNull(),
    data: jsonb("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("events_object_version_type").on(t.objectId, t.objectVersion, t.type),
    index("events_merchant_created").on(t.merchantId, t.livemode, t.createdAt, t.id),
    // Dot-separated lower-case words: `payment.captured`, and Stripe's three-part names such as
    // `checkout.session.completed`.
    check("events_type_shape", sql`${t.type} ~ '^[a-z_]+(\\.[a-z_]+)+$'`),
  ],
);
