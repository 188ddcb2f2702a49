import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { applyMigrations } from "../../db/migrate.js";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres.js";
import { freePort } from "../../scripts/lib/free-port.js";

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real, migrated Postgres for a test run: a fresh database on `DATABASE_URL`'s server when
 * that is set, else an embedded cluster in a temporary directory on a free port.
 */
export async function startTestPostgres(options: { migrate?: boolean } = {}): Promise<TestPostgres> {
  const migrate = options.migrate ?? true;
  const external = process.env.DATABASE_URL;
  if (external) {
    const name = `gateway_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    if (migrate) await applyMigrations(url.toString());
    return {
      url: url.toString(),
      async stop() {
        const cleanup = new pg.Client({ connectionString: external });
        await cleanup.connect();
        await cleanup.query(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "gateway-pg-"));
  chmodSync(dir, 0o755); // as root, Postgres runs as `postgres` and must reach its data directory
  const server = await startEmbeddedPostgres({ dataDir: join(dir, "data"), port: await freePort() });
  if (migrate) await applyMigrations(server.url);
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
