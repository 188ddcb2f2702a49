/**
 * `npm run deploy:audit-bucket -- --env staging|production [--dry-run]` (no `--env`: the default,
 * development environment): puts `deploy/audit-bucket.json`'s bucket lock and lifecycle on that
 * environment's AUDIT_BUCKET with the pinned wrangler (`wrangler r2 bucket lock set`, `wrangler r2
 * bucket lifecycle set`; a Cloudflare login or CLOUDFLARE_API_TOKEN with R2 edit rights). Refuses
 * rules `npm run deploy:check` would fail. Once set, a lock cannot be shortened for the objects it
 * already holds. `--dry-run` prints the commands instead.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { boundBuckets, readAuditBucketRules, retentionProblems } from "./lib/retention.js";
import { PROJECT_ROOT } from "./lib/start-config.js";
import { wranglerEnv } from "./lib/wrangler-env.js";

const { values } = parseArgs({ options: { env: { type: "string" }, "dry-run": { type: "boolean" } } });
const environment = values.env ?? "";
const rules = readAuditBucketRules(PROJECT_ROOT);
const buckets = boundBuckets(readFileSync(join(PROJECT_ROOT, "wrangler.toml"), "utf8"), rules.binding);
const problems = retentionProblems(rules, buckets);
if (problems.length > 0) {
  process.stderr.write(`refused: ${problems.join("; ")}\n`);
  process.exit(1);
}
const bucket = buckets.get(environment);
if (!bucket) {
  process.stderr.write(`no ${rules.binding} bucket in environment '${environment || "default"}'\n`);
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "audit-bucket-"));
try {
  const lockFile = join(dir, "lock.json");
  const lifecycleFile = join(dir, "lifecycle.json");
  writeFileSync(lockFile, JSON.stringify(rules.lock));
  writeFileSync(lifecycleFile, JSON.stringify(rules.lifecycle));
  const envArgs = environment ? ["--env", environment] : [];
  for (const args of [
    ["r2", "bucket", "lock", "set", bucket, "--file", lockFile, "--force", ...envArgs],
    ["r2", "bucket", "lifecycle", "set", bucket, "--file", lifecycleFile, "--force", ...envArgs],
  ]) {
    if (values["dry-run"]) {
      process.stdout.write(`wrangler ${args.join(" ")}\n`);
      continue;
    }
    const result = spawnSync(
      process.execPath,
      [join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), ...args],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...wranglerEnv() },
        stdio: "inherit",
      },
    );
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
