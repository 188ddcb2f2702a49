import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/free-port.js";
import { PROJECT_ROOT } from "../../scripts/lib/start-config.js";

export interface DevJson {
  api: string;
  vault: string;
  database_url: string;
  secret_key: string;
  publishable_key: string;
  merchant_id: string;
  ops_client_id: string;
  ops_client_secret: string;
  acquirer_admin: string;
  merchant_site: string;
}

const PORTS = [
  "API_PORT",
  "VAULT_PORT",
  "POSTGRES_PORT",
  "INSPECTOR_PORT",
  "ACQUIRER_ISO_PORT",
  "ACQUIRER_ADMIN_PORT",
  "MERCHANT_PORT",
] as const;

/** The stack `npm start` boots, in its own data directory and on free ports, for a test file. */
export async function startStack(
  extraEnv: Record<string, string> = {},
): Promise<{ dev: DevJson; dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "gateway-stack-"));
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
  const deadline = Date.now() + 170_000;
  while (!output.includes("READY ")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const dev = JSON.parse(readFileSync(join(dataDir, "dev.json"), "utf8")) as DevJson;
  return {
    dev,
    dataDir,
    async stop() {
      child.kill("SIGINT");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON call to the API with a secret key. */
export async function apiCall(
  dev: DevJson,
  method: string,
  path: string,
  options: { json?: unknown; idempotencyKey?: string } = {},
): Promise<{ status: number; json: Record<string, any>; replayed: boolean }> {
  const response = await fetch(`${dev.api}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${dev.secret_key}`,
      ...(options.json === undefined ? {} : { "Content-Type": "application/json" }),
      ...(options.idempotencyKey ? { "Idempotency-Key": options.idempotencyKey } : {}),
    },
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, any>,
    replayed: response.headers.get("Idempotent-Replayed") === "true",
  };
}

export async function tokenizeCard(dev: DevJson, number: string): Promise<string> {
  const response = await fetch(`${dev.vault}/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${dev.publishable_key}` },
    body: JSON.stringify({ card: { number, exp_month: 12, exp_year: 2034, cvc: "123" } }),
  });
  return ((await response.json()) as { id: string }).id;
}
