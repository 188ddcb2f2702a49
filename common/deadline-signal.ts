/**
 * Runs `work` with a signal that aborts after `ms` (a `TimeoutError`, as `AbortSignal.timeout`
 * gives), and clears its timer the moment `work` settles. `AbortSignal.timeout` leaves its timer
 * pending until it fires, and a Durable Object with a timer pending is not idle: every payment
 * object stayed in memory (billed, its SQLite database open) for the rest of its vault call's
 * 25 s budget after answering. Under sustained creates local workerd then held about 2,400 payment
 * databases open at once until its SQLite ran out of memory (500s, SQLITE_NOMEM); with the timer
 * cleared, about 650 (issue 17, measured at 8 connections for 70 s). Read the answer's body inside
 * `work`: the deadline covers it too. For calls whose late answer may simply be ignored rather
 * than cancelled (advice from an object), `answerWithin` (answer-within.ts) is the tool.
 */
export async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
    Math.max(1, ms),
  );
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
