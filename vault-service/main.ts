import { serve } from "@hono/node-server";
import { CARD_PROCESSOR_IDS } from "../common/processor-registry.js";
import { createVaultApp } from "./app.js";
import { CvcStore } from "./cards/cvc-store.js";
import { loadConfig } from "./config.js";
import { openVaultDatabase } from "./db/vault-database.js";
import { openInternalApi } from "./internal/open-internal-api.js";
import { openKeyProvider } from "./keys/open-key-provider.js";
import { log } from "./logging/logger.js";
import { LookupCache } from "./merchants/lookup-cache.js";
import { originsForPublishableKey } from "./merchants/merchant-access.repository.js";
import { openNetworkApi } from "./network/open-network-api.js";
import { TokenBuckets } from "./rate-limits/token-buckets.js";
import { startTokenSweeper } from "./tokens/token-expiry.js";

const config = loadConfig();
const database = openVaultDatabase(config.DATABASE_URL);
const keys = await openKeyProvider(config);
const cvcs = new CvcStore({
  ttlMs: config.VAULT_CVC_TTL_SECONDS * 1000,
  maxEntries: config.VAULT_CVC_MAX_ENTRIES,
  maxPerMerchant: config.VAULT_CVC_MAX_PER_MERCHANT,
});
const unusedTokenTtlSeconds = config.VAULT_TOKEN_UNUSED_TTL_SECONDS;
const internal = openInternalApi(config, { db: database.db, keys, cvcs, unusedTokenTtlSeconds });
const stopTokenSweeper = startTokenSweeper(database.db, unusedTokenTtlSeconds);
if (!internal) log("warn", "EDGE_TOKEN_JWKS is not set: the internal API (authorize, capture, ...) is off");
for (const processor of CARD_PROCESSOR_IDS) {
  if (internal && !internal.links.connector(processor, true))
    log("warn", `${processor} has no live link: unavailable there`);
}
if (config.LIVE_NETWORK === "simulator") log("warn", "live mode reaches a simulator, not the card networks");
// Owed network work (reversals, repeat advices, refund inquiries) resumes from the journal at boot.
internal?.resolver.start();
// Expired edge-token jtis are deleted once a minute, off every call's path.
internal?.replayGuard.start();
const network = openNetworkApi(config);
if (!network) log("warn", "ACQUIRER_NOTIFY_SECRET, EDGE_URL or VAULT_NOTIFY_SIGNING_KEY unset: chargebacks are off");

/** A sustained rate, with bursts of twice it (a checkout page's retries, a busy minute). */
function rate(perSecond: number) {
  return { perSecond, burst: 2 * perSecond };
}

// The card frame is fetched by strangers with whatever key they like: answers (null ones too) are
// kept 30 s, so a flood costs memory, not a query each; a key revoked now may still load the frame
// that long, never tokenize (issue 12, item 11).
// The edge's own origin serves every merchant's hosted checkout page (workers/checkout/): it may
// embed the frame for any active publishable key, as the merchant's registered origins may.
const hostedCheckoutOrigin = config.EDGE_URL ? new URL(config.EDGE_URL).origin : null;
const frameOrigins = new LookupCache(async (publishableKey) => {
  const origins = await originsForPublishableKey(database.db, publishableKey, config.API_KEY_PEPPER);
  return origins && hostedCheckoutOrigin ? [...origins, hostedCheckoutOrigin] : origins;
}, 30_000);

// One process's buckets: a fleet of vaults needs a shared counter (see token-buckets.ts). The card
// frame shares the per-client buckets with tokenization: a checkout loads one and makes one token.
const perClient = new TokenBuckets(rate(config.VAULT_TOKENIZE_PER_CLIENT_PER_SECOND));

const app = createVaultApp(database.ping, {
  tokenization: {
    db: database.db,
    keys,
    cvcs,
    fingerprintSecret: Buffer.from(config.VAULT_FINGERPRINT_SECRET, "base64"),
    apiKeyPepper: config.API_KEY_PEPPER,
    limits: {
      perClient,
      perKey: new TokenBuckets(rate(config.VAULT_TOKENIZE_PER_KEY_PER_SECOND)),
    },
  },
  browser: { origins: (publishableKey) => frameOrigins.get(publishableKey), perClient },
  ...(internal ? { internal } : {}),
  ...(network ? { network } : {}),
});

const server = serve({ fetch: app.fetch, hostname: config.VAULT_HOST, port: config.VAULT_PORT }, (info) => {
  log("info", "vault-service listening", { port: info.port, key_provider: keys.name, kek: keys.currentVersion() });
});

/** Stop accepting, let in-flight requests finish, wipe held CVCs and KEKs, close the pool, exit 0. */
function shutdown(signal: string): void {
  log("info", "vault-service stopping", { signal });
  stopTokenSweeper();
  server.close(() => {
    cvcs.close();
    internal?.replayGuard.stop();
    void (internal?.resolver.stop() ?? Promise.resolve())
      .then(() => internal?.links.close())
      .then(() => keys.close())
      .then(() => database.close())
      .finally(() => process.exit(0));
  });
  setTimeout(() => {
    cvcs.close();
    process.exit(0);
  }, 5_000).unref();
}
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
