import { env } from "cloudflare:test";
import { query } from "../../support/sql-client.js";

/** Reads Postgres directly (through the Hyperdrive binding) to check what a request wrote. */
export function sql<Row extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<Row[]> {
  return query<Row>(env.HYPERDRIVE.connectionString, text, values);
}
