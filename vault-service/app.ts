import { Hono } from "hono";
import { browserRoutes, type TokenizationOrigins } from "./browser/browser.routes.js";
import { onVaultError, onVaultNotFound } from "./errors/error-handler.js";
import { type InternalDeps, internalRoutes } from "./internal/internal.routes.js";
import { bodyLimit } from "./middleware/body-limit/index.js";
import { requestId } from "./middleware/request-id/index.js";
import { requestLog } from "./middleware/request-log/index.js";
import { limitPerClient } from "./middleware/tokenization-rate-limit/index.js";
import { type NetworkDeps, networkRoutes } from "./network/network.routes.js";
import type { TokenBuckets } from "./rate-limits/token-buckets.js";
import { tokenRoutes } from "./tokens/tokens.routes.js";
import type { TokenizationDeps } from "./tokens/tokens.service.js";
import type { VaultEnv } from "./vault-env.js";

/** The largest request body any vault route reads. */
export const VAULT_BODY_LIMIT_BYTES = 64 * 1024;

/** The route groups the vault serves; each is mounted when its dependencies are given. */
export interface VaultRoutes {
  tokenization?: TokenizationDeps;
  /** pay.js and the hosted card frame: whose origins may embed it, and a per-client limit on it. */
  browser?: { origins: TokenizationOrigins; perClient?: TokenBuckets };
  /** Edge-only: authorize, capture, void, refund, inquire. */
  internal?: InternalDeps;
  /** Acquirer-only: signed advices such as chargebacks. */
  network?: NetworkDeps;
}

/**
 * The cardholder-data zone's HTTP surface (origin service, PCI scope): health, and the
 * tokenization API, browser tokenization (pay.js), and the edge-only internal API.
 */
export function createVaultApp(checkDatabase: () => Promise<void>, routes: VaultRoutes = {}) {
  const app = new Hono<VaultEnv>()
    .use(requestId())
    .use(requestLog())
    // Before any route, so before authentication and any database work: a flood of large bodies
    // costs the vault a header check, not a parse (issue 12, item 4). Every legitimate body here
    // (a card, an internal call, a signed advice) is well under a kilobyte.
    .use(bodyLimit(VAULT_BODY_LIMIT_BYTES))
    // Liveness: the process answers, touching nothing (no database, unlike /health). It is also
    // the no-op route the benchmarks' edge->vault baseline fetches: one hop and nothing more.
    .get("/livez", (c) => c.json({ status: "ok" }))
    .get("/health", async (c) => {
      try {
        await checkDatabase();
        return c.json({ status: "ok", service: "vault-service", database: "ok" });
      } catch {
        return c.json({ status: "degraded", service: "vault-service", database: "unreachable" }, 503);
      }
    });
  if (routes.tokenization) app.route("/v1/tokens", tokenRoutes(routes.tokenization));
  if (routes.browser) {
    // The card frame looks up the key a stranger names: limited per client, as tokenization is.
    if (routes.browser.perClient) app.use("/elements/*", limitPerClient(routes.browser.perClient));
    app.route("/", browserRoutes(routes.browser.origins));
  }
  if (routes.internal) app.route("/internal/v1", internalRoutes(routes.internal));
  if (routes.network) app.route("/network/v1", networkRoutes(routes.network));
  return app.onError(onVaultError).notFound(onVaultNotFound);
}
