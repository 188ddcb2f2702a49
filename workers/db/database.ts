import type { Duplex } from "node:stream";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import type * as schema from "../../db/schema/index.js";
import { CorkedSocket } from "./corked-socket.js";

/**
 * Drizzle without the relational query API (`db.query.*`): the edge builds every statement with
 * the query builder, and handing drizzle the schema makes it walk every table's relations on each
 * new connection, one per request here (4% of the edge's CPU creating payments, measured with
 * `npm run bench:profile`).
 */
export type Database = Omit<NodePgDatabase<typeof schema>, "query">;

export interface Connection {
  db: Database;
  close(): Promise<void>;
}

/**
 * Opens a Postgres connection through Hyperdrive. One `pg.Client` per request on purpose:
 * Hyperdrive pools the real connections, and a Client shared across requests hangs the second
 * request in workerd (I/O objects cannot cross requests).
 */
export async function connect(
  env: { HYPERDRIVE: { connectionString: string } },
  options: { queryTimeoutMs?: number } = {},
): Promise<Connection> {
  // Bounded like every outbound call: a stuck database fails the request (503) instead of holding
  // it. A batch job whose statements move a whole day (reconciliation) asks for a longer bound.
  const client = new pg.Client({
    connectionString: env.HYPERDRIVE.connectionString,
    connectionTimeoutMillis: 5_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    // Each query's messages in one write (see CorkedSocket); TLS to Hyperdrive is not used here.
    stream: () => new CorkedSocket(false) as unknown as Duplex,
  });
  // `end()` emits "Stream was cancelled" on the socket; unhandled, it would crash the request.
  client.on("error", () => {});
  await client.connect();
  return {
    db: drizzle(client) as unknown as Database,
    close: () => client.end(),
  };
}
