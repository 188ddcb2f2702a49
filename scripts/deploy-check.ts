/**
 * `npm run deploy:check`: `wrangler deploy --dry-run` for the default, staging and production
 * environments. Bundles the Worker and validates every binding without an account or network.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "./lib/start-config.js";
import { wranglerEnv } from "./lib/wrangler-env.js";

const ENVIRONMENTS = ["", "staging", "production"] as const;

let failed = 0;
for (const environment of ENVIRONMENTS) {
  const label = environment || "default";
  const args = [
    join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js"),
    "deploy",
    "--dry-run",
    "--outdir",
    join(PROJECT_ROOT, ".wrangler", "dry-run", label),
    ...(environment ? ["--env", environment] : []),
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...wranglerEnv() },
    encoding: "utf8",
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status === 0 && /--dry-run: exiting now/.test(output)) {
    const size = /Total Upload: ([^\n]+)/.exec(output)?.[1] ?? "?";
    process.stdout.write(`deploy:check ${label}: ok (${size})\n`);
  } else {
    failed += 1;
    process.stdout.write(`deploy:check ${label}: FAILED\n${output}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
