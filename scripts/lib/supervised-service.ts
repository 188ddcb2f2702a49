import type { Service } from "./child-process.js";
import { waitUntilHealthy } from "./child-process.js";

export type SupervisedState = "starting" | "running" | "paused" | "restarting" | "backing_off" | "stopped";

/** A service the stack keeps alive, with the controls the stack admin API exposes. */
export interface SupervisedService {
  readonly name: string;
  state(): SupervisedState;
  pid(): number | undefined;
  restarts(): number;
  pause(): void;
  resume(): void;
  kill(): void;
  restart(): Promise<void>;
  /** Resolves when the current process answers its health URL; rejects after `timeoutMs`. */
  healthy(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Waits between restarts after consecutive crashes (a crash loop slows down, never gives up). */
const BACKOFF_MS = [250, 1_000, 2_000, 5_000, 10_000];
/** Running this long without dying counts as healthy again: the backoff starts over. */
const STABLE_MS = 30_000;

/**
 * Runs `launch()` and starts it again whenever it dies, as systemd's `Restart=always` or a
 * Kubernetes pod would in a real deployment: the vault owes the network work it journaled, and
 * a crash must not take that work (or the rest of the stack) down with it. Signals go to the
 * whole process group, so `tsx`'s child is paused or killed too.
 */
export function superviseService(options: {
  name: string;
  launch: () => Service;
  healthUrl: string;
  log: (line: string) => void;
}): SupervisedService {
  let current = options.launch();
  let state: SupervisedState = "starting";
  let restarts = 0;
  let crashes = 0;
  let startedAt = Date.now();
  let intentional = false;

  const signal = (sig: NodeJS.Signals) => {
    const pid = current.child.pid;
    if (pid === undefined || current.child.exitCode !== null || current.child.signalCode !== null) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };

  const watch = (service: Service) => {
    void waitUntilHealthy(options.healthUrl, service, 60_000)
      .then(() => {
        if (current === service && state === "starting") state = "running";
      })
      .catch(() => {});
    void service.exited.then(async (code) => {
      if (intentional || current !== service || state === "stopped") return;
      if (Date.now() - startedAt > STABLE_MS) crashes = 0;
      const wait = BACKOFF_MS[Math.min(crashes, BACKOFF_MS.length - 1)] ?? 10_000;
      crashes += 1;
      options.log(
        `${options.name} exited (code ${String(code)}, signal ${String(service.child.signalCode)}); restarting in ${wait} ms`,
      );
      state = "backing_off";
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (state !== "backing_off") return;
      launchAgain();
    });
  };

  const launchAgain = () => {
    current = options.launch();
    restarts += 1;
    startedAt = Date.now();
    state = "starting";
    options.log(`${options.name} started again (pid ${String(current.child.pid)}, restart #${restarts})`);
    watch(current);
  };

  watch(current);

  return {
    name: options.name,
    state: () => state,
    pid: () => current.child.pid,
    restarts: () => restarts,
    pause() {
      signal("SIGSTOP");
      if (state === "running" || state === "starting") state = "paused";
    },
    resume() {
      signal("SIGCONT");
      if (state === "paused") state = "running";
    },
    kill() {
      // Resumed first: a stopped process still dies of SIGKILL, but its state must not stay "paused".
      signal("SIGCONT");
      signal("SIGKILL");
    },
    async restart() {
      intentional = true;
      state = "restarting";
      signal("SIGCONT");
      await current.stop();
      intentional = false;
      launchAgain();
      await waitUntilHealthy(options.healthUrl, current, 60_000);
      state = "running";
    },
    async healthy(timeoutMs) {
      await waitUntilHealthy(options.healthUrl, current, timeoutMs);
      if (state === "starting") state = "running";
    },
    async stop() {
      state = "stopped";
      signal("SIGCONT");
      await current.stop();
    },
  };
}
