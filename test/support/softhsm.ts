import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
export const SOFTHSM_INSTALL = "apt-get install -y softhsm2";

/** True when SoftHSM2 is installed (`npm test` installs it when it can; see scripts/test.ts). */
export function softHsmAvailable(): boolean {
  return existsSync(SOFTHSM_LIBRARY) && spawnSync("softhsm2-util", ["--version"]).status === 0;
}

export interface SoftHsmToken {
  library: string;
  tokenLabel: string;
  pin: string;
  cleanup(): void;
}

/**
 * A fresh SoftHSM2 token in a temporary directory. SOFTHSM2_CONF is process-wide and read when
 * the library initializes, so every token of one test process shares the directory it names.
 */
export function createSoftHsmToken(label = `vault-${process.pid}-${Date.now()}`): SoftHsmToken {
  const dir = mkdtempSync(join(tmpdir(), "softhsm-"));
  const conf = join(dir, "softhsm2.conf");
  writeFileSync(conf, `directories.tokendir = ${dir}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  const pin = "5678";
  const init = spawnSync(
    "softhsm2-util",
    ["--init-token", "--free", "--label", label, "--so-pin", "1234", "--pin", pin],
    { env: process.env, encoding: "utf8" },
  );
  if (init.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${init.stderr}`);
  return {
    library: SOFTHSM_LIBRARY,
    tokenLabel: label,
    pin,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
