import { and, desc, eq, sql } from "drizzle-orm";
import { webhookEndpoints } from "../../db/schema/index.js";
import { afterCursor } from "../db/cursor.js";
import type { Database } from "../db/database.js";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type EndpointInsert = typeof webhookEndpoints.$inferInsert;

export async function insertEndpoint(db: Database, row: EndpointInsert): Promise<EndpointRow> {
  const [created] = await db.insert(webhookEndpoints).values(row).returning();
  return created!;
}

/** Tenancy in the WHERE clause: another merchant's endpoint is simply not found. */
export async function findEndpoint(db: Database, merchantId: string, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)))
    .limit(1);
  return row;
}

export async function updateEndpoint(
  db: Database,
  merchantId: string,
  id: string,
  changes: Partial<EndpointInsert>,
): Promise<EndpointRow | undefined> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)))
    .returning();
  return row;
}

export async function deleteEndpoint(db: Database, merchantId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

export async function listEndpoints(db: Database, merchantId: string, limit: number, startingAfter?: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.merchantId, merchantId),
        afterCursor(webhookEndpoints, webhookEndpoints, startingAfter, [webhookEndpoints.merchantId, merchantId]),
      ),
    )
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(limit + 1);
}

/** The merchant's enabled endpoints subscribed to `type` (for a resend to all). */
export async function subscribedEndpointIds(db: Database, merchantId: string, type: string): Promise<string[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.merchantId, merchantId),
        eq(webhookEndpoints.status, "enabled"),
        sql`(${type} = any(${webhookEndpoints.enabledEvents}) or '*' = any(${webhookEndpoints.enabledEvents}))`,
      ),
    );
  return rows.map((row) => row.id);
}
