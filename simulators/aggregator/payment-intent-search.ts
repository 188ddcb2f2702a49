import { createHash } from "node:crypto";
import type { z } from "zod";
import type { IntentRecord } from "./ledger.js";
import type { searchIntentParams } from "./params.js";
import { matchesQuery, parseSearchQuery } from "./search-query.js";
import { invalidRequest } from "./stripe-error.js";
import { paymentIntentObject } from "./stripe-objects.js";

/**
 * `GET /v1/payment_intents/search` (docs.stripe.com/api/payment_intents/search): the PaymentIntents
 * answering the query, newest first, `limit` of them (1-100, default 10) per page, and a
 * `next_page` cursor while more remain. This is how a caller whose create answer was lost finds
 * the intent by the metadata it tagged it with.
 *
 * Stripe's search is eventually consistent: new or changed objects become searchable within about
 * a minute, longer during an outage, so a caller must treat "not found" as "not found yet". The
 * simulator answers from its books at once, with no such delay: here "not found" is reached only by
 * an intent that was never booked.
 */
export function searchIntents(records: readonly IntentRecord[], params: z.output<typeof searchIntentParams>) {
  const query = parseSearchQuery(params.query);
  // `records` is in creation order and only ever grows, so a position in it is a stable cursor.
  let before = params.page === undefined ? records.length : pagePosition(params.page, params.query, records.length);
  const found: IntentRecord[] = [];
  while (before > 0 && found.length < params.limit) {
    before -= 1;
    const record = records[before] as IntentRecord;
    if (matchesQuery(query, record)) found.push(record);
  }
  const hasMore = records.slice(0, before).some((record) => matchesQuery(query, record));
  const expandLatestCharge = params.expand?.includes("data.latest_charge") ?? false;
  return {
    object: "search_result",
    url: "/v1/payment_intents/search",
    has_more: hasMore,
    next_page: hasMore ? pageToken(before, params.query) : null,
    data: found.map((record) => paymentIntentObject(record, { expandLatestCharge })),
  };
}

/** An opaque cursor: where the next page starts, bound to the query it pages through. */
function pageToken(before: number, query: string): string {
  return Buffer.from(JSON.stringify([before, queryDigest(query)])).toString("base64url");
}

function pagePosition(token: string, query: string, size: number): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    decoded = null;
  }
  const [before, digest] = Array.isArray(decoded) ? decoded : [];
  if (!Number.isInteger(before) || before < 0 || before > size || typeof digest !== "string") {
    throw invalidRequest("Invalid page: use the next_page value of a previous search answer.", "page");
  }
  if (digest !== queryDigest(query)) {
    throw invalidRequest("Invalid page: it belongs to a search with another query.", "page");
  }
  return before;
}

function queryDigest(query: string): string {
  return createHash("sha256").update(query).digest("base64url").slice(0, 16);
}
