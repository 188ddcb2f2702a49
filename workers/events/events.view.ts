import { upgradeStored } from "../versions/transform.js";
import type { EventRow } from "./events.repository.js";

/** The API's `event`, and the body each webhook delivery of it carries. */
export function eventPayload(row: EventRow) {
  return {
    id: row.id,
    object: "event" as const,
    type: row.type,
    livemode: row.livemode,
    created: Math.floor(row.createdAt.getTime() / 1000),
    // A snapshot from before a version change is brought to the latest shape first.
    data: { object: upgradeStored(row.data) },
  };
}
