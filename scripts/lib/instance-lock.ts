import { readFileSync, rmSync, writeFileSync } from "node:fs";

export interface LockHolder {
  pid: number;
  api?: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One `npm start` per data directory: the lock file is created exclusively and holds our pid.
 * A lock left by a process that no longer exists (a crash, a kill -9) is taken over.
 */
export function acquireInstanceLock(path: string, holder: LockHolder): { release(): void } | { heldBy: LockHolder } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(holder), { flag: "wx" });
      return {
        release: () => {
          try {
            const current = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
            if (current.pid === holder.pid) rmSync(path, { force: true });
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let existing: LockHolder | undefined;
      try {
        existing = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
      } catch {
        existing = undefined;
      }
      if (existing && isAlive(existing.pid)) return { heldBy: existing };
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

export function updateLock(path: string, holder: LockHolder): void {
  writeFileSync(path, JSON.stringify(holder));
}
