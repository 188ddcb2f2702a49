/**
 * SQLSTATEs that say the database is going, gone or full, not that the statement was wrong
 * (PostgreSQL, Appendix A): class 08 (connection exception), 53300 too_many_connections, 57014
 * query_canceled (a statement timeout), 57P01-57P03 (admin and crash shutdown, cannot connect now).
 */
const OUTAGE_STATES = /^(08...|53300|57014|57P0[123])$/;

/** Node's socket errors for a database that is not there or went away (the vault's pool). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** node-postgres' own errors for a session lost or timed out (pg/lib/client.js, pg-pool). */
const LOST_SESSION = new Set([
  "Connection terminated unexpectedly",
  "Connection terminated",
  "Connection terminated due to connection timeout",
  "Query read timeout",
  "Client has encountered a connection error and is not queryable",
  "Client was closed and is not queryable",
  "timeout exceeded when trying to connect",
]);

/** How far down `cause` to look: drizzle wraps the driver's error once (DrizzleQueryError). */
const MAX_CAUSES = 4;

/**
 * Whether `error` says the database is not there or went away under a request, rather than that
 * the request was wrong: no connection, the session lost or timed out in the middle of a query,
 * or Postgres refusing work while it shuts down or starts. Both zones answer such a request 503
 * `database_unavailable` (the edge also when its connection cannot be opened, middleware/database),
 * never a 500: the client retries it.
 */
export function isDatabaseOutage(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSES && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (OUTAGE_STATES.test(code) || SOCKET_CODES.has(code))) return true;
    if (LOST_SESSION.has(current.message)) return true;
    current = current.cause;
  }
  return false;
}
