import type { JSONWebKeySet } from "jose";
import { BUDGETS } from "../../common/timeout-budgets.js";
import type { CvcStore } from "../cards/cvc-store.js";
import type { VaultConfig } from "../config.js";
import { type NetworkLinksConfig, openNetworkLinks } from "../connectors/open-network-links.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { OperationResolver, type ResolverOptions } from "../operations/operation-resolver.js";
import { edgeTokenVerifier } from "./edge-token.js";
import type { InternalDeps } from "./internal.routes.js";
import { JtiReplayGuard } from "./jti-replay-guard.js";

/**
 * The internal API's dependencies from configuration, or null when no edge keys are configured.
 * The resolver is built but not started: the caller starts it (and stops it on shutdown).
 */
export function openInternalApi(
  config: Pick<VaultConfig, "EDGE_TOKEN_JWKS"> & NetworkLinksConfig,
  deps: { db: VaultDatabase; keys: KeyProvider; cvcs: CvcStore; unusedTokenTtlSeconds?: number },
  resolverOptions: ResolverOptions = {},
): InternalDeps | null {
  if (!config.EDGE_TOKEN_JWKS) return null;
  const links = openNetworkLinks(config);
  const jwks = JSON.parse(config.EDGE_TOKEN_JWKS) as JSONWebKeySet;
  const replayGuard = new JtiReplayGuard(deps.db);
  return {
    ...deps,
    links,
    verifyEdgeToken: edgeTokenVerifier(jwks, replayGuard),
    replayGuard,
    staleAfterMs: links.worstExchangeMs() + BUDGETS.vaultJournalMs,
    resolver: new OperationResolver(deps.db, links, resolverOptions),
  };
}
