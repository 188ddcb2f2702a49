import { and, eq, sql } from "drizzle-orm";
import type { Owner } from "../../common/owner.js";
import { routingConfigs } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";
import { PLATFORM_DEFAULT, type RoutingConfig } from "./routing-config.js";

/** A merchant's configuration in one mode; version 0 (and no `updatedAt`) is the platform default. */
export interface StoredRouting {
  config: RoutingConfig;
  version: number;
  updatedAt: Date | null;
}

const ofOwner = (owner: Owner) =>
  and(eq(routingConfigs.merchantId, owner.merchantId), eq(routingConfigs.livemode, owner.livemode));

export async function findRouting(db: Database, owner: Owner): Promise<StoredRouting> {
  const [row] = await db
    .select({ config: routingConfigs.config, version: routingConfigs.version, updatedAt: routingConfigs.updatedAt })
    .from(routingConfigs)
    .where(ofOwner(owner))
    .limit(1);
  return row ?? { config: PLATFORM_DEFAULT, version: 0, updatedAt: null };
}

export type SaveResult = { saved: StoredRouting } | { conflict: { version: number } };

/**
 * Replaces the configuration and bumps its version, in one statement, so two concurrent changes
 * can never both claim the same version. With `expectedVersion` the change applies only on top of
 * that version (0: none stored yet); otherwise the last writer wins.
 */
export async function saveRouting(
  db: Database,
  owner: Owner,
  config: RoutingConfig,
  expectedVersion: number | undefined,
): Promise<SaveResult> {
  const returning = {
    config: routingConfigs.config,
    version: routingConfigs.version,
    updatedAt: routingConfigs.updatedAt,
  };
  const values = { ...owner, config, version: 1 };
  let rows: StoredRouting[];
  if (expectedVersion === undefined) {
    rows = await db
      .insert(routingConfigs)
      .values(values)
      .onConflictDoUpdate({
        target: [routingConfigs.merchantId, routingConfigs.livemode],
        set: { config, version: sql`${routingConfigs.version} + 1`, updatedAt: sql`now()` },
      })
      .returning(returning);
  } else if (expectedVersion === 0) {
    rows = await db.insert(routingConfigs).values(values).onConflictDoNothing().returning(returning);
  } else {
    rows = await db
      .update(routingConfigs)
      .set({ config, version: sql`${routingConfigs.version} + 1`, updatedAt: sql`now()` })
      .where(and(ofOwner(owner), eq(routingConfigs.version, expectedVersion)))
      .returning(returning);
  }
  const [saved] = rows;
  if (saved) return { saved };
  return { conflict: { version: (await findRouting(db, owner)).version } };
}
