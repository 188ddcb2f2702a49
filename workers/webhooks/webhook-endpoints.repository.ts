import { and, desc, eq, sql } from "drizzle-orm";
import type { Owner } from "../../common/owner.js";
import { webhookEndpoints } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type EndpointInsert = typeof webhookEndpoints.$inferInsert;
/** Whose endpoints: one merchant's, in one mode (DESIGN invariant 6: the other mode's are not found). */

/** Tenancy and mode in the WHERE clause: another merchant's, or the other mode's, is simply not there. */
const ownedBy = (owner: Owner) =>
  and(eq(webhookEndpoints.merchantId, owner.merchantId), eq(webhookEndpoints.livemode, owner.livemode));

export async function insertEndpoint(db: Database, row: EndpointInsert): Promise<EndpointRow> {
  const [created] = await db.insert(webhookEndpoints).values(row).returning();
  return created!;
}

export async function findEndpoint(db: Database, owner: Owner, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), ownedBy(owner)))
    .limit(1);
  return row;
}

export async function updateEndpoint(
  db: Database,
  owner: Owner,
  id: string,
  changes: Partial<EndpointInsert>,
): Promise<EndpointRow | undefined> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(webhookEndpoints.id, id), ownedBy(owner)))
    .returning();
  return row;
}

export async function deleteEndpoint(db: Database, owner: Owner, id: string): Promise<boolean> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), ownedBy(owner)))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

export async function listEndpoints(db: Database, owner: Owner, limit: number, startingAfter?: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        ownedBy(owner),
        afterCursor(webhookEndpoints, webhookEndpoints, startingAfter, [
          [webhookEndpoints.merchantId, owner.merchantId],
          [webhookEndpoints.livemode, owner.livemode],
        ]),
      ),
    )
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(limit + 1);
}

/** The merchant's enabled endpoints of this mode subscribed to `type` (for a resend to all). */
export async function subscribedEndpointIds(db: Database, owner: Owner, type: string): Promise<string[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        ownedBy(owner),
        eq(webhookEndpoints.status, "enabled"),
        sql`(${type} = any(${webhookEndpoints.enabledEvents}) or '*' = any(${webhookEndpoints.enabledEvents}))`,
      ),
    );
  return rows.map((row) => row.id);
}
