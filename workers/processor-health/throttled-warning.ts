import { log } from "../logging/logger.js";

/**
 * A warning logged at most once per `everyMs` in this isolate, with how many were held back since:
 * an outage of the health objects is one line a minute, not one per payment.
 */
export function throttledWarning(message: string, everyMs = 60_000) {
  let loggedAt = Number.NEGATIVE_INFINITY;
  let held = 0;
  return (fields: Record<string, unknown>, now = Date.now()): void => {
    if (now - loggedAt < everyMs) {
      held += 1;
      return;
    }
    log("warn", message, { ...fields, held_back_since_last_line: held });
    loggedAt = now;
    held = 0;
  };
}
