import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVaultApp } from "../../vault-service/app.js";
import { CvcStore } from "../../vault-service/cards/cvc-store.js";
import { openVaultDatabase, type VaultPool } from "../../vault-service/db/vault-database.js";
import { SoftwareKeyProvider } from "../../vault-service/keys/software-key-provider.js";
import { originsForPublishableKey } from "../../vault-service/merchants/merchant-access.repository.js";
import type { TokenizationDeps } from "../../vault-service/tokens/tokens.service.js";
import { insertApiKey } from "../../workers/api-keys/api-keys.repository.js";
import { createMerchant } from "../../workers/merchants/merchants.repository.js";
import { startTestPostgres, type TestPostgres } from "./test-postgres.js";

export interface TestMerchant {
  id: string;
  secretKey: string;
  publishableKey: string;
}

export interface VaultHarness {
  database: TestPostgres;
  pool: VaultPool;
  keys: SoftwareKeyProvider;
  kekFile: string;
  deps: TokenizationDeps;
  app: ReturnType<typeof createVaultApp>;
  createMerchant(tokenizationOrigins?: string[]): Promise<TestMerchant>;
  /** Another publishable key of the merchant: live mode's, or one with an IP allowlist. */
  createPublishableKey(merchantId: string, options?: { livemode?: boolean; allowedIps?: string[] }): Promise<string>;
  /**
   * `POST /v1/tokens` as a browser or server would send it; `from` is the client's address, as
   * the Node server would see its socket (unset: unknown, as for any in-process request).
   */
  tokenize(key: string | undefined, card: unknown, headers?: Record<string, string>, from?: string): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The vault as `main.ts` wires it (software KEKs in a temporary key file, a real migrated
 * Postgres, fresh pepper and fingerprint secret), driven in process through `app.request`.
 * `browser: true` also mounts pay.js and the hosted card frame, for tests that serve it over HTTP.
 */
export async function startVaultHarness(options: { browser?: boolean } = {}): Promise<VaultHarness> {
  const database = await startTestPostgres();
  const pool = openVaultDatabase(database.url, 4);
  const dir = mkdtempSync(join(tmpdir(), "vault-keys-"));
  const kekFile = join(dir, "vault-keks.json");
  const keys = await SoftwareKeyProvider.open({ file: kekFile });
  const deps: TokenizationDeps = {
    db: pool.db,
    keys,
    cvcs: new CvcStore(),
    fingerprintSecret: randomBytes(32),
    apiKeyPepper: randomBytes(32).toString("base64url"),
  };
  const app = createVaultApp(pool.ping, {
    tokenization: deps,
    ...(options.browser
      ? { browser: { origins: (key: string) => originsForPublishableKey(pool.db, key, deps.apiKeyPepper) } }
      : {}),
  });
  let merchants = 0;
  return {
    database,
    pool,
    keys,
    kekFile,
    deps,
    app,
    async createMerchant(tokenizationOrigins = []) {
      merchants++;
      const created = await createMerchant(pool.db, deps.apiKeyPepper, {
        name: `Shop ${merchants}`,
        email: `shop${merchants}@shop.example`,
        country: "US",
        default_currency: "USD",
        tokenization_origins: tokenizationOrigins,
      });
      return {
        id: created.merchant.id,
        secretKey: created.secretKey.secret,
        publishableKey: created.publishableKey.secret,
      };
    },
    async createPublishableKey(merchantId, options = {}) {
      const { livemode = false, allowedIps = [] } = options;
      const key = await insertApiKey(pool.db, deps.apiKeyPepper, {
        merchantId,
        type: "publishable",
        livemode,
        allowedIps,
      });
      return key.secret;
    },
    async tokenize(key, card, headers = {}, from) {
      return app.request(
        "/v1/tokens",
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            ...(key === undefined ? {} : { Authorization: `Bearer ${key}` }),
            ...headers,
          },
          body: JSON.stringify({ card }),
        },
        // What @hono/node-server hands the app as its environment: the request's socket.
        from === undefined ? undefined : { incoming: { socket: { remoteAddress: from } } },
      );
    },
    async stop() {
      deps.cvcs.close();
      await keys.close();
      await pool.close();
      await database.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
