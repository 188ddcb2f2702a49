/**
 * The edge Worker in Miniflare directly: the same workerd and the same bindings (read from
 * wrangler.toml by wrangler's own `unstable_getMiniflareWorkerOptions`), run from the bundle
 * `wrangler deploy --dry-run` produces, without `wrangler dev`'s proxy worker and file watcher.
 * That proxy costs about 4 ms a request on 2 cores, more than the gateway's whole budget, so the
 * benchmarks measure the Worker this way; `EDGE_RUNTIME=miniflare npm start` runs it too.
 *
 * Started by scripts/start.ts with: API_PORT, EDGE_PERSIST_DIR, EDGE_BUNDLE_DIR, EDGE_SECRETS_FILE
 * (the dev secrets' JSON), EDGE_VARS (JSON: vars that override wrangler.toml's), and the
 * Hyperdrive connection string in CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE.
 */
import "./lib/socket-no-delay.mjs"; // first: Miniflare's Hyperdrive proxy must get no-delay sockets
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { PROJECT_ROOT } from "./lib/start-config.js";
import { wranglerEnv } from "./lib/wrangler-env.js";

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`edge-miniflare: ${name} is required`);
  return value;
};

const port = Number(required("API_PORT"));
const bundleDir = required("EDGE_BUNDLE_DIR");
Object.assign(process.env, wranglerEnv());

const bundled = spawnSync(
  process.execPath,
  [join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", bundleDir],
  { cwd: PROJECT_ROOT, env: process.env, encoding: "utf8" },
);
if (bundled.status !== 0) throw new Error(`bundling the Worker failed:\n${bundled.stdout}${bundled.stderr}`);

const { workerOptions } = unstable_getMiniflareWorkerOptions(join(PROJECT_ROOT, "wrangler.toml"));
const secrets = JSON.parse(readFileSync(required("EDGE_SECRETS_FILE"), "utf8")) as Record<string, string>;
const vars = JSON.parse(process.env.EDGE_VARS ?? "{}") as Record<string, string>;

const miniflare = new Miniflare({
  ...workerOptions,
  name: "edge-payment-gateway",
  modules: [{ type: "ESModule", path: join(bundleDir, "index.js") }],
  modulesRoot: bundleDir,
  bindings: { ...workerOptions.bindings, ...secrets, ...vars },
  host: "127.0.0.1",
  port,
  defaultPersistRoot: required("EDGE_PERSIST_DIR"),
  // As `wrangler dev` does: `/cdn-cgi/handler/scheduled?time=...` runs the Cron Trigger on demand.
  unsafeTriggerHandlers: true,
  // The V8 inspector of workerd, as `wrangler dev --inspector-port` gives it: DevTools, and the
  // benchmarks' CPU profile of the edge (bench/lib/cpu-profile.ts).
  ...(process.env.EDGE_INSPECTOR_PORT ? { inspectorPort: Number(process.env.EDGE_INSPECTOR_PORT) } : {}),
  log: new Log(LogLevel.WARN), // our own request log has every request; Miniflare's would repeat it
} as ConstructorParameters<typeof Miniflare>[0]);

const url = await miniflare.ready;
process.stdout.write(`edge Worker (Miniflare, bundled) ready at ${url}\n`);

const stop = async () => {
  await miniflare.dispose();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
