import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";

export interface Service {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code when the process has exited. */
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts a long-running child in its own process group, so stopping it also stops what it
 * spawned (wrangler starts workerd). Its output goes to `logFile`, and to our stdout with a
 * `[name]` prefix when `echo` is set.
 */
export function startService(options: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  echo: boolean;
}): Service {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const relay = (chunk: Buffer) => {
    log.write(chunk);
    if (options.echo) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() !== "") process.stdout.write(`[${options.name}] ${line}\n`);
      }
    }
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      log.end();
      resolve(code);
    });
    child.once("error", (error) => {
      log.write(`failed to start: ${error.message}\n`);
      resolve(null);
    });
  });

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };

  return {
    name: options.name,
    child,
    exited,
    async stop(timeoutMs = 10_000) {
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
      // Grandchildren (workerd) may outlive their parent by a moment; make sure the group is gone.
      signalGroup("SIGKILL");
    },
  };
}

/** Polls `url` until it answers 2xx, the service exits, or `timeoutMs` passes. */
export async function waitUntilHealthy(url: string, service: Service, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${service.name} exited before it became healthy (see its log)`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} did not answer ${url} within ${timeoutMs / 1000} s`);
}
