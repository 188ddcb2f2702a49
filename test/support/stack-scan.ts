import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DevJson } from "./running-stack.js";
import { query } from "./sql-client.js";

/**
 * Everything a running stack wrote that could leak: every Postgres row (as JSON, the embedded
 * Postgres ships no pg_dump) and every service log file under the data directory.
 */
export async function stackWritings(dev: DevJson, dataDir: string): Promise<{ dump: string; logs: string }> {
  const tables = await query<{ table_schema: string; table_name: string }>(
    dev.database_url,
    "select table_schema, table_name from information_schema.tables where table_schema in ('public', 'drizzle')",
  );
  let dump = "";
  for (const { table_schema, table_name } of tables) {
    const rows = await query<{ row: string }>(
      dev.database_url,
      `select row_to_json(t)::text as row from "${table_schema}"."${table_name}" t`,
    );
    dump += rows.map((row) => row.row).join("\n");
  }
  const logs = readdirSync(join(dataDir, "logs"))
    .map((file) => readFileSync(join(dataDir, "logs", file), "utf8"))
    .join("\n");
  return { dump, logs };
}

/** PCI DSS 3.3.1: no CVC anywhere, in any spelling a log line or a row could carry it. */
export const CVC_FIELD = /"(cvc|cvv|cvc2|cvv2)"\s*:\s*"?\d{3,4}/i;
