/** Runs the project's pinned wrangler with telemetry off and its files kept in the project. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "./lib/start-config.js";
import { wranglerEnv } from "./lib/wrangler-env.js";

const result = spawnSync(
  process.execPath,
  [join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), ...process.argv.slice(2)],
  { cwd: PROJECT_ROOT, env: { ...process.env, ...wranglerEnv() }, stdio: "inherit" },
);
process.exit(result.status ?? 1);
