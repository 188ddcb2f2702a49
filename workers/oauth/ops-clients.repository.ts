import { eq } from "drizzle-orm";
import { generateClientSecret, hashCredential } from "../../common/api-key-secret.js";
import { newId } from "../../common/ids.js";
import { opsClients } from "../../db/schema/index.js";
import type { Database } from "../db/database.js";

export type OpsClientRow = typeof opsClients.$inferSelect;

export async function findOpsClient(db: Database, id: string): Promise<OpsClientRow | undefined> {
  const [row] = await db.select().from(opsClients).where(eq(opsClients.id, id)).limit(1);
  return row;
}

/** Creates an ops client; the secret is returned once and stored only as a keyed hash. */
export async function createOpsClient(
  db: Pick<Database, "insert">,
  pepper: string,
  input: { id?: string; name: string; scopes: string[]; secret?: string },
): Promise<{ row: OpsClientRow; secret: string }> {
  const secret = input.secret ?? generateClientSecret();
  const [row] = await db
    .insert(opsClients)
    .values({
      id: input.id ?? newId("opsClient"),
      name: input.name,
      scopes: input.scopes,
      secretHash: await hashCredential(pepper, secret),
    })
    .returning();
  if (!row) throw new Error("insert into ops_clients returned no row");
  return { row, secret };
}
