/**
 * `npm run bench:vault`: card tokenizations per second through the vault's real HTTP server and
 * real Postgres, with each key provider, against a no-op route of the same server in the same
 * run. Printed as ratios to the no-op route, since absolute numbers depend on the machine.
 * Targets on 2 cores: 5,000/s software, 3,000/s through SoftHSM.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { freePort } from "../scripts/lib/free-port.js";
import { createSoftHsmToken, softHsmAvailable } from "../test/support/softhsm.js";
import { startTestPostgres } from "../test/support/test-postgres.js";
import { createVaultApp } from "../vault-service/app.js";
import { CvcStore } from "../vault-service/cards/cvc-store.js";
import { openVaultDatabase } from "../vault-service/db/vault-database.js";
import type { KeyProvider } from "../vault-service/keys/key-provider.js";
import { Pkcs11KeyProvider } from "../vault-service/keys/pkcs11-key-provider.js";
import { SoftwareKeyProvider } from "../vault-service/keys/software-key-provider.js";
import { createMerchant } from "../workers/merchants/merchants.repository.js";
import { type LoadResult, runLoad } from "./lib/load.js";

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CARDS = ["4242424242424242", "5555555555554444", "4000056655665556", "5200828282828210"];

const database = await startTestPostgres();
const pool = openVaultDatabase(database.url, 16);
const pepper = randomBytes(32).toString("base64url");
const keyDir = mkdtempSync(join(tmpdir(), "bench-keys-"));
const { publishableKey: issued } = await createMerchant(pool.db, pepper, {
  name: "Bench Shop",
  email: "bench@shop.example",
  country: "US",
  default_currency: "USD",
});
const publishableKey = issued.secret;
// Request logs are still built and redacted per request; only the terminal write is dropped.
console.log = () => {};

async function measure(label: string, keys: KeyProvider): Promise<{ noop: LoadResult; tokenize: LoadResult }> {
  const cvcs = new CvcStore();
  const vault = createVaultApp(pool.ping, {
    tokenization: { db: pool.db, keys, cvcs, fingerprintSecret: randomBytes(32), apiKeyPepper: pepper },
  });
  // The baseline: the same server, the same middleware stack minus the route's own work.
  const app = new Hono().get("/bench/noop", (c) => c.json({ ok: true })).route("/", vault);
  const port = await freePort();
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port });
  const base = `http://127.0.0.1:${port}`;
  try {
    const noopJob = { label: `no-op route (${label})`, url: `${base}/bench/noop`, concurrency: CONCURRENCY };
    await runLoad({ ...noopJob, durationMs: 2_000 }); // warm-up
    const noop = await runLoad({ ...noopJob, durationMs: DURATION_MS });
    const bodies = CARDS.map((number) =>
      JSON.stringify({ card: { number, exp_month: 12, exp_year: 2034, cvc: "123" } }),
    );
    const tokenizing = {
      label: `tokenize (${label})`,
      url: `${base}/v1/tokens`,
      expect: [201],
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${publishableKey}` },
      bodies,
      concurrency: CONCURRENCY,
    };
    await runLoad({ ...tokenizing, durationMs: 3_000 }); // warm-up: JIT, the pool's connections, prepared statements
    const tokenize = await runLoad({ ...tokenizing, durationMs: DURATION_MS });
    process.stdout.write(`${label}: done\n`);
    return { noop, tokenize };
  } finally {
    cvcs.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const rows: string[] = [];
const goals: string[] = [];
const row = (name: string, r: LoadResult, baseline: LoadResult, target?: number, ratioGoal?: number) => {
  const ratio = r.requestsPerSecond / baseline.requestsPerSecond;
  rows.push(
    [
      name.padEnd(28),
      r.requestsPerSecond.toFixed(0).padStart(8),
      ratio.toFixed(3).padStart(7),
      r.p50.toFixed(1).padStart(7),
      r.p99.toFixed(1).padStart(7),
      (target ? `${target}/s ${r.requestsPerSecond >= target ? "met" : "NOT met"}` : "").padStart(16),
      JSON.stringify(r.statuses),
    ].join(" "),
  );
  // Issue 17's goals are ratios to the no-op route of the same server in the same run.
  if (ratioGoal !== undefined) {
    goals.push(
      `${name} / no-op route: ${ratio.toFixed(3)} (goal >= ${ratioGoal}): ${ratio >= ratioGoal ? "met" : "NOT met"}`,
    );
  }
};

try {
  const software = await SoftwareKeyProvider.open({ file: join(keyDir, "keks.json") });
  const soft = await measure("software", software);
  await software.close();
  row("no-op route (software run)", soft.noop, soft.noop);
  row("tokenize, software KEK", soft.tokenize, soft.noop, 5_000, 0.15);

  if (softHsmAvailable()) {
    const token = createSoftHsmToken();
    const hsm = await Pkcs11KeyProvider.open(token);
    const hard = await measure("pkcs11", hsm);
    await hsm.close();
    token.cleanup();
    row("no-op route (SoftHSM run)", hard.noop, hard.noop);
    row("tokenize, SoftHSM KEK", hard.tokenize, hard.noop, 3_000, 0.1);
  } else {
    rows.push("tokenize, SoftHSM KEK: SKIPPED (apt-get install -y softhsm2)");
    goals.push("tokenize, SoftHSM KEK / no-op route: not measured (SoftHSM2 is not installed)");
  }
  process.stdout.write(
    `\nvault tokenization, ${CONCURRENCY} connections, ${DURATION_MS / 1000} s per route\n${"route".padEnd(28)} ${"req/s".padStart(8)} ${"ratio".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"target".padStart(16)} statuses\n${rows.join("\n")}\n` +
      `\ngoals (issue 17)\n${goals.join("\n")}\n`,
  );
} finally {
  await pool.close();
  await database.stop();
  rmSync(keyDir, { recursive: true, force: true });
}
