/**
 * `npm run vault:rotate-kek [-- --rewrap-only] [-- --batch-size 500]`: KEK rotation with no
 * downtime (PCI DSS 3.6.1.3 / 3.7.4: keys changed at the end of their cryptoperiod).
 *
 * 1. Creates the next KEK version in the key file and makes it current. Serving vaults notice
 *    within a second and wrap new data keys with it. (With `VAULT_KEKS` the operator has already
 *    added the version and restarted; `--rewrap-only` is then implied.)
 * 2. Rewraps every data key still under an older version, one short transaction per row, while
 *    the vaults keep serving; older versions are decrypt-only from then on.
 * 3. Retires every older version no row names any more (PCI DSS 3.6.1.2 / 3.7.5: a replaced key is
 *    not kept usable): destroyed in the HSM, removed from the key file, so no process can wrap or
 *    unwrap with it again. Destroying rather than merely disabling is deliberate: a disabled key
 *    can be re-enabled by whoever holds the PIN, a destroyed one cannot, and after the rewrap no
 *    live row needs it. The price: a database backup older than the rewrap can no longer be
 *    decrypted, so take a fresh backup after rotating (or pass `--keep-old-keks` and retire later).
 *    With `VAULT_KEKS` the environment is the operator's: the command names the versions to drop.
 *
 * Settings are the vault's (`DATABASE_URL`, `VAULT_KEK_FILE` or `VAULT_KEKS`); when unset, it
 * defaults to the `npm start` stack of `DATA_DIR` (`.data/dev.json`, `.data/vault-keks.json`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadRotationConfig } from "../vault-service/config.js";
import { openVaultDatabase } from "../vault-service/db/vault-database.js";
import { rewrapDataKeys } from "../vault-service/keys/kek-rewrap.js";
import { openKeyProvider } from "../vault-service/keys/open-key-provider.js";
import { KEK_FILE_RECHECK_MS } from "../vault-service/keys/software-key-provider.js";
import { loadStartConfig } from "./lib/start-config.js";

/** Any constant: one rotation at a time, whichever machine runs it. */
const ROTATION_LOCK = 7_340_202;

const { values: flags } = parseArgs({
  options: {
    "rewrap-only": { type: "boolean", default: false },
    "keep-old-keks": { type: "boolean", default: false },
    "batch-size": { type: "string", default: "500" },
  },
});
const say = (line: string) => process.stdout.write(`[vault:rotate-kek] ${line}\n`);

function withStackDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATA_DIR } = loadStartConfig(env);
  const devJson = join(DATA_DIR, "dev.json");
  const defaults: NodeJS.ProcessEnv = {};
  if (!env.DATABASE_URL && existsSync(devJson)) {
    defaults.DATABASE_URL = (JSON.parse(readFileSync(devJson, "utf8")) as { database_url?: string }).database_url;
  }
  if (!env.VAULT_KEK_FILE && !env.VAULT_KEKS && env.VAULT_KEY_PROVIDER !== "pkcs11")
    defaults.VAULT_KEK_FILE = join(DATA_DIR, "vault-keks.json");
  return { ...defaults, ...env };
}

async function main(): Promise<void> {
  const config = loadRotationConfig(withStackDefaults(process.env));
  const batchSize = Number(flags["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("--batch-size must be a positive integer");

  const lock = new pg.Client({ connectionString: config.DATABASE_URL });
  lock.on("error", () => {});
  await lock.connect();
  // Rotation's last pass scans every card for old key versions: longer than one journal write.
  const database = openVaultDatabase(config.DATABASE_URL, { max: 2, statementMs: 60_000 });
  const keys = await openKeyProvider(config);
  try {
    const { rows } = await lock.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [
      ROTATION_LOCK,
    ]);
    if (!rows[0]?.locked) throw new Error("another KEK rotation is running against this database");

    if (flags["rewrap-only"] || config.VAULT_KEKS !== undefined) {
      say(`rewrapping to the current KEK ${keys.currentVersion()}`);
    } else {
      const previous = keys.currentVersion();
      say(`created KEK ${await keys.rotate()} (was ${previous}); serving vaults switch within a second`);
    }
    const progress = (done: number) => say(`rewrapped ${done} data keys`);
    const first = await rewrapDataKeys(database.db, keys, { batchSize, onBatch: progress });
    // A vault that had not yet seen the new file may have wrapped a few cards with the old KEK.
    await new Promise((resolve) => setTimeout(resolve, 2 * KEK_FILE_RECHECK_MS));
    const late = await rewrapDataKeys(database.db, keys, { batchSize });

    const [current, ...older] = keys.versions();
    say(`done: ${first.rewrapped + late.rewrapped} data keys rewrapped, every card is under ${current}`);
    if (older.length === 0) return;
    if (flags["keep-old-keks"]) {
      say(`decrypt-only, kept (--keep-old-keks): ${older.join(", ")}`);
      return;
    }
    for (const version of older) {
      // Checked again right before: a vault that had not yet seen the new KEK may have wrapped one.
      const { rows: left } = await lock.query<{ n: number }>(
        "select count(*)::int as n from vault_cards where kek_version = $1",
        [version],
      );
      if ((left[0]?.n ?? 0) > 0) {
        say(`kept ${version}: ${left[0]?.n} data keys still name it (run again to rewrap them)`);
      } else if (config.VAULT_KEKS !== undefined) {
        say(`no data key names ${version} any more: remove it from VAULT_KEKS and restart the vaults`);
      } else {
        await keys.retire(version);
        say(`retired ${version}: destroyed, no process can use it again`);
      }
    }
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [ROTATION_LOCK]).catch(() => {});
    await lock.end();
    await database.close();
    await keys.close();
  }
}

main().catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
