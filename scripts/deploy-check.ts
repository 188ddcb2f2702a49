/**
 * `npm run deploy:check`: `wrangler deploy --dry-run` for the default, staging and production
 * environments. Bundles the Worker and validates every binding without an account or network,
 * then checks that neither the default environment nor staging can touch production's Worker,
 * queues or buckets (a plain `wrangler deploy` must never reach production), and that the audit
 * bucket's rules keep the audit trail seven years in every environment (`lib/retention.ts`).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { boundResources, productionOverlap, workerNames } from "./lib/deploy-isolation.js";
import {
  AUDIT_BUCKET_RULES_FILE,
  auditLock,
  boundBuckets,
  readAuditBucketRules,
  retentionProblems,
} from "./lib/retention.js";
import { PROJECT_ROOT } from "./lib/start-config.js";
import { wranglerEnv } from "./lib/wrangler-env.js";

const ENVIRONMENTS = ["", "staging", "production"] as const;

let failed = 0;
const resources = new Map<string, Set<string>>();
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
  resources.set(environment, boundResources(output));
  if (result.status === 0 && /--dry-run: exiting now/.test(output)) {
    const size = /Total Upload: ([^\n]+)/.exec(output)?.[1] ?? "?";
    process.stdout.write(`deploy:check ${label}: ok (${size})\n`);
  } else {
    failed += 1;
    process.stdout.write(`deploy:check ${label}: FAILED\n${output}\n`);
  }
}
const toml = readFileSync(join(PROJECT_ROOT, "wrangler.toml"), "utf8");
const names = workerNames(toml);
for (const environment of ["", "staging"]) {
  const problems = productionOverlap(environment, names, resources);
  if (problems.length > 0) failed += 1;
  process.stdout.write(
    problems.length === 0
      ? `deploy:check ${environment || "default"}: cannot touch production\n`
      : `deploy:check ${environment || "default"}: FAILED, ${problems.join("; ")}\n`,
  );
}
// The audit bucket's seven-year lock (issue 16 item 5), as deploy/audit-bucket.json holds it.
const rules = readAuditBucketRules(PROJECT_ROOT);
const auditBuckets = boundBuckets(toml, rules.binding);
const retention = retentionProblems(rules, auditBuckets);
if (retention.length > 0) failed += 1;
const lock = auditLock(rules);
process.stdout.write(
  retention.length === 0
    ? `deploy:check audit retention: lock '${lock?.rule.id}' keeps ${lock?.rule.prefix || "every object"} ${lock?.days} days in ${[...auditBuckets.values()].join(", ")} (${AUDIT_BUCKET_RULES_FILE})\n`
    : `deploy:check audit retention: FAILED, ${retention.join("; ")}\n`,
);
process.exit(failed === 0 ? 0 : 1);
