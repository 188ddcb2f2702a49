import { serve } from "@hono/node-server";
import pg from "pg";
import { createVaultApp } from "./app.js";
import { loadConfig } from "./config.js";

const config = loadConfig();
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 5 });
pool.on("error", () => {}); // idle-client errors surface on the next query instead

const app = createVaultApp(async () => {
  await pool.query("select 1");
});

const server = serve({ fetch: app.fetch, hostname: config.VAULT_HOST, port: config.VAULT_PORT }, (info) => {
  console.log(JSON.stringify({ level: "info", message: "vault-service listening", port: info.port }));
});

/** Stop accepting, let in-flight requests finish, close the pool, exit 0. */
function shutdown(signal: string): void {
  console.log(JSON.stringify({ level: "info", message: "vault-service stopping", signal }));
  server.close(() => {
    void pool.end().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
