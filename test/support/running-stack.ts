import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/free-port.js";
import { PROJECT_ROOT } from "../../scripts/lib/start-config.js";

export interface DevJson {
  api: string;
  vault: string;
  database_url: string;
  /** Local Hyperdrive (scripts/lib/hyperdrive-pool/): the edge's way to Postgres, as deployed. */
  hyperdrive_url: string;
  /** The demo merchant's test-mode keys. */
  secret_key: string;
  publishable_key: string;
  /** Its live-mode keys: their payments go to the live stand-in acquirer, never to the test one. */
  live_secret_key: string;
  live_publishable_key: string;
  merchant_id: string;
  ops_client_id: string;
  ops_client_secret: string;
  /** Test mode's acquirer A simulator: its admin API (ledger, faults) and its ISO 8583 host:port. */
  acquirer_admin: string;
  acquirer_iso: string;
  /** The same acquirer A, by its processor id. */
  acquirer_a_admin: string;
  acquirer_a_iso: string;
  /** Test mode's acquirer B simulator, the second processor to route and fail over to. */
  acquirer_b_admin: string;
  acquirer_b_iso: string;
  /** The acquirer simulator standing in for the real network behind live mode (as acquirer A). */
  live_acquirer_admin: string;
  live_acquirer_iso: string;
  /** The Stripe-style aggregator simulator: its API (for the official `stripe` client), admin API and secret key. */
  aggregator_url: string;
  aggregator_admin: string;
  aggregator_secret_key: string;
  /** Test mode's UPI switch simulator (NPCI-style XML): its API, its admin API (books, faults) and its payer app. */
  upi_switch_url: string;
  upi_switch_admin: string;
  upi_payer: string;
  /** The PayPal-style wallet simulator (issue 15): its API (with the approval page) and its admin API. */
  wallet_url: string;
  wallet_admin: string;
  merchant_site: string;
  /** The stack's fault controls (scripts/lib/stack-admin.ts): vault pause/kill/restart, Postgres stop/start, Hyperdrive drain. */
  stack_admin: string;
  stack_admin_token: string;
}

const PORTS = [
  "API_PORT",
  "VAULT_PORT",
  "POSTGRES_PORT",
  "INSPECTOR_PORT",
  "ACQUIRER_ISO_PORT",
  "ACQUIRER_ADMIN_PORT",
  "ACQUIRER_B_ISO_PORT",
  "ACQUIRER_B_ADMIN_PORT",
  "LIVE_ACQUIRER_ISO_PORT",
  "LIVE_ACQUIRER_ADMIN_PORT",
  "AGGREGATOR_PORT",
  "AGGREGATOR_ADMIN_PORT",
  "UPI_SWITCH_PORT",
  "UPI_SWITCH_ADMIN_PORT",
  "WALLET_PORT",
  "WALLET_ADMIN_PORT",
  "MERCHANT_PORT",
  "STACK_ADMIN_PORT",
  "HYPERDRIVE_PORT",
] as const;

type Stack = { dev: DevJson; dataDir: string; pid: number; stop(): Promise<void> };

/** A start that failed only because a port chosen free was taken before the stack bound it. */
class PortTaken extends Error {}

/**
 * The stack `npm start` boots, in its own data directory and on free ports, for a test file.
 * `prepare` runs on the empty data directory before anything starts (a benchmark lays a
 * simulator's journal there, which the simulator replays at start). Ports are found free, then
 * bound seconds later while other stacks and wrangler take ports of their own: a start that lost
 * that race (EADDRINUSE in a service's log) is made again once, on new ports in a new directory.
 */
export async function startStack(
  extraEnv: Record<string, string> = {},
  prepare?: (dataDir: string) => Promise<void>,
): Promise<Stack> {
  try {
    return await startOnce(extraEnv, prepare);
  } catch (error) {
    if (!(error instanceof PortTaken)) throw error;
    console.warn(`startStack: ${error.message}; starting again on other ports`);
    return startOnce(extraEnv, prepare);
  }
}

async function startOnce(extraEnv: Record<string, string>, prepare?: (dataDir: string) => Promise<void>) {
  const dataDir = mkdtempSync(join(tmpdir(), "gateway-stack-"));
  await prepare?.(dataDir);
  const free = new Set<number>();
  while (free.size < PORTS.length) free.add(await freePort());
  const ports = Object.fromEntries(PORTS.map((name, i) => [name, String([...free][i])]));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...ports, DATA_DIR: dataDir, GATEWAY_ECHO_LOGS: "0", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    await exited;
  };
  const deadline = Date.now() + 170_000;
  while (!output.includes("READY ")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      // Never leave a half-started stack behind: its services would hold ports and cores.
      await stop();
      const taken = portTakenIn(dataDir, output);
      if (taken) {
        rmSync(dataDir, { recursive: true, force: true });
        throw new PortTaken(taken);
      }
      throw new Error(`npm start did not come up (its logs: ${join(dataDir, "logs")}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const dev = JSON.parse(readFileSync(join(dataDir, "dev.json"), "utf8")) as DevJson;
  return {
    dev,
    dataDir,
    /** `npm start`'s own process: every service of the stack runs under it. */
    pid: child.pid as number,
    async stop() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The line that says a port was taken, from the start's output or any service's log. */
function portTakenIn(dataDir: string, output: string): string | null {
  const logs = join(dataDir, "logs");
  const texts = [output];
  try {
    for (const name of readdirSync(logs)) texts.push(readFileSync(join(logs, name), "utf8"));
  } catch {
    // No logs yet: the start failed before any service.
  }
  for (const text of texts) {
    // Node says EADDRINUSE; workerd (wrangler dev's api) says "Address already in use".
    const line = text
      .split("\n")
      .find((candidate) => /EADDRINUSE|Address already in use|port \d+ is in use/.test(candidate));
    if (line) return line.trim().slice(0, 300);
  }
  return null;
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  json: Record<string, any>;
}

/** An API call as a merchant (key, as HTTP Basic) or an operator (bearer token) makes it. */
export async function request(
  dev: DevJson,
  path: string,
  init: RequestInit & { key?: string; bearer?: string; json?: unknown } = {},
): Promise<JsonAnswer> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("Authorization", `Basic ${Buffer.from(`${init.key}:`).toString("base64")}`);
  if (init.bearer) headers.set("Authorization", `Bearer ${init.bearer}`);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const response = await fetch(`${dev.api}${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

/** A JSON call with the demo merchant's secret key and, optionally, an Idempotency-Key. */
export async function apiCall(
  dev: DevJson,
  method: string,
  path: string,
  options: { json?: unknown; idempotencyKey?: string } = {},
): Promise<JsonAnswer & { replayed: boolean }> {
  const answer = await request(dev, path, {
    method,
    key: dev.secret_key,
    json: options.json,
    headers: options.idempotencyKey ? { "Idempotency-Key": options.idempotencyKey } : {},
  });
  return { ...answer, replayed: answer.headers.get("Idempotent-Replayed") === "true" };
}

/** `POST /v1/tokens` at the vault, as a merchant's checkout would send it. */
export async function tokenize(dev: DevJson, key: string | undefined, number: string) {
  const response = await fetch(`${dev.vault}/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ card: { number, exp_month: 12, exp_year: 2034, cvc: "123" } }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

export async function tokenizeCard(dev: DevJson, number: string): Promise<string> {
  return (await tokenize(dev, dev.publishable_key, number)).json.id as string;
}

/** An ops access token for the demo ops client (all scopes). */
export async function opsToken(dev: DevJson): Promise<string> {
  const response = await fetch(`${dev.api}/oauth/token`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${Buffer.from(`${dev.ops_client_id}:${dev.ops_client_secret}`).toString("base64")}`,
    },
    body: "grant_type=client_credentials",
  });
  if (response.status !== 200) throw new Error(`ops token: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
