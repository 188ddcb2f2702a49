import { spawnSync } from "node:child_process";

/**
 * Installs a Debian package a test tier needs when it is missing and apt is usable (root).
 * Otherwise says loudly which tier will be skipped and the command that would enable it.
 */
export function ensureDebianPackage(options: { pkg: string; present: () => boolean; tier: string }): boolean {
  if (options.present()) return true;
  const canApt = process.getuid?.() === 0 && spawnSync("apt-get", ["--version"]).status === 0;
  if (canApt) {
    process.stdout.write(`installing ${options.pkg} for the ${options.tier} tier (apt-get)...\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", options.pkg], {
      env,
      stdio: "ignore",
    });
    if (install.status !== 0) {
      spawnSync("apt-get", ["update"], { env, stdio: "ignore" });
      install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", options.pkg], {
        env,
        stdio: "ignore",
      });
    }
    if (install.status === 0 && options.present()) return true;
  }
  const bar = "!".repeat(78);
  process.stdout.write(
    `\n${bar}\n!!! SKIPPING the ${options.tier} tier: ${options.pkg} is not installed.\n!!! Install it with: sudo apt-get install -y ${options.pkg}\n${bar}\n\n`,
  );
  return false;
}
