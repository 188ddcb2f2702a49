import { DurableObject } from "cloudflare:workers";
import { insertApiKey } from "../../workers/api-keys/api-keys.repository.js";
import { connect } from "../../workers/db/database.js";

export interface StoredKey {
  id: string;
  key: string;
}

/**
 * The publishable key a merchant's hosted checkout pages tokenize with, one object per merchant
 * and mode. Keys are stored only as hashes in Postgres (PCI DSS 8.3.2), so the gateway cannot read
 * back a key the merchant holds: it issues one of its own, once, named "Hosted checkout" in the
 * merchant's key list, and keeps it here. A publishable key is public by design (it sits in every
 * checkout page) and may only tokenize (DESIGN.md), so holding it is no secret kept. The object is
 * the key's single writer: two first sessions at once get the same one key.
 */
export class CheckoutKeyObject extends DurableObject<Env> {
  private issuing: Promise<StoredKey> | null = null;

  async publishableKey(merchantId: string, livemode: boolean): Promise<StoredKey> {
    const stored = await this.ctx.storage.get<StoredKey>("key");
    if (stored) return stored;
    this.issuing ??= this.issue(merchantId, livemode).finally(() => {
      this.issuing = null;
    });
    return this.issuing;
  }

  /**
   * Forgets a key the merchant revoked or rolled (the page's frame then refuses it), so the next
   * session issues a new one. Only that key: a newer one is kept.
   */
  async forget(keyId: string): Promise<void> {
    const stored = await this.ctx.storage.get<StoredKey>("key");
    if (stored?.id === keyId) await this.ctx.storage.delete("key");
  }

  private async issue(merchantId: string, livemode: boolean): Promise<StoredKey> {
    const connection = await connect(this.env);
    try {
      const issued = await insertApiKey(connection.db, this.env.API_KEY_PEPPER, {
        merchantId,
        livemode,
        type: "publishable",
        name: "Hosted checkout",
      });
      const stored = { id: issued.row.id, key: issued.secret };
      await this.ctx.storage.put("key", stored);
      return stored;
    } finally {
      await connection.close();
    }
  }
}
