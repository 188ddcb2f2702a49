import type { Owner } from "../../common/owner.js";
import type { Database } from "../db/database.js";
import { keyUsable } from "./checkout-merchant.repository.js";

/**
 * The publishable key the owner's hosted pages tokenize with (durable-objects/checkout-session/
 * checkout-key.object.ts): issued once per merchant and mode, and issued again if the merchant
 * revoked or rolled it, so a page never embeds a key the vault refuses.
 */
export async function hostedCheckoutKey(env: Env, db: Database, owner: Owner): Promise<string> {
  const holder = env.CHECKOUT_KEYS.get(
    env.CHECKOUT_KEYS.idFromName(`${owner.merchantId}:${owner.livemode ? "live" : "test"}`),
  );
  const held = await holder.publishableKey(owner.merchantId, owner.livemode);
  if (await keyUsable(db, owner, held.id)) return held.key;
  await holder.forget(held.id);
  return (await holder.publishableKey(owner.merchantId, owner.livemode)).key;
}
