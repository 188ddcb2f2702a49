/**
 * `npm test`: every tier, in order, on the real parts. Static checks first (cheap), then the
 * Worker tests inside workerd, then the Node tiers (Postgres, vault, the whole stack end to end).
 * Every step runs even when an earlier one fails, so one run shows everything that is wrong.
 * The last line is `tests: N passed, N failed` for CI.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureDebianPackage } from "./lib/debian-packages.js";
import { PROJECT_ROOT } from "./lib/start-config.js";
import { wranglerEnv } from "./lib/wrangler-env.js";

const resultsDir = join(PROJECT_ROOT, ".data", "test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

// Tiers that need Debian packages: installed here when missing (root + apt), else skipped loudly.
ensureDebianPackage({
  pkg: "softhsm2",
  present: () => existsSync("/usr/lib/softhsm/libsofthsm2.so"),
  tier: "PKCS#11 key provider (SoftHSM2)",
});
ensureDebianPackage({
  pkg: "chromium",
  present: () => existsSync("/usr/bin/chromium"),
  tier: "browser tokenization (Chromium)",
});

const bin = (name: string) => join(PROJECT_ROOT, "node_modules", ".bin", name);
const vitest = (config: string, name: string) => [
  bin("vitest"),
  "run",
  "--config",
  config,
  "--silent=passed-only",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${join(resultsDir, `${name}.json`)}`,
];

const steps: { name: string; command: string[]; results?: string }[] = [
  { name: "lint (biome)", command: [bin("biome"), "check", "."] },
  { name: "typecheck (edge)", command: [bin("tsc"), "-p", "tsconfig.json"] },
  { name: "typecheck (node)", command: [bin("tsc"), "-p", "tsconfig.node.json"] },
  { name: "deploy:check", command: [process.execPath, "--import", "tsx", "scripts/deploy-check.ts"] },
  { name: "edge tests (workerd)", command: vitest("vitest.edge.config.ts", "edge"), results: "edge" },
  {
    name: "node tests (Postgres, vault, end to end)",
    command: vitest("vitest.node.config.ts", "node"),
    results: "node",
  },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps: string[] = [];
for (const step of steps) {
  process.stdout.write(`\n=== ${step.name}\n`);
  const started = Date.now();
  const [command = "", ...args] = step.command;
  const result = spawnSync(command, args, {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    env: { ...process.env, ...wranglerEnv(), FORCE_COLOR: process.env.CI ? "0" : "1" },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let failed = result.status !== 0;
  if (step.results) {
    const file = join(resultsDir, `${step.results}.json`);
    if (existsSync(file)) {
      const report = JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
      totals.passed += report.numPassedTests ?? 0;
      totals.failed += report.numFailedTests ?? 0;
      totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      // The report decides too: vitest under the workers pool has exited 0 with a failed test
      // (workerd's teardown disconnect), and a green step must mean green tests.
      if ((report.numFailedTests ?? 0) > 0 || (report.numFailedTestSuites ?? 0) > 0) failed = true;
    } else {
      process.stdout.write(`no test report at ${file}\n`);
      failed = true;
    }
  }
  if (step.results === "edge") {
    // The edge run scans every console line the Worker wrote for secrets (test/support/secret-scan.ts).
    const leaks = join(resultsDir, "edge-log-leaks.txt");
    const found = existsSync(leaks) ? readFileSync(leaks, "utf8").trim() : "scan did not run";
    if (found !== "") {
      process.stdout.write(`secrets in edge log lines:\n${found}\n`);
      failed = true;
    }
  }
  if (failed) failedSteps.push(step.name);
  process.stdout.write(`=== ${step.name}: ${failed ? "FAILED" : "ok"} (${seconds} s)\n`);
}

process.stdout.write("\n");
if (failedSteps.length > 0) process.stdout.write(`failed steps: ${failedSteps.join(", ")}\n`);
if (failedSteps.length > 0 && totals.failed === 0) totals.failed = failedSteps.length;
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failedSteps.length === 0 ? 0 : 1);
