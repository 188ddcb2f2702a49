import type { JSONWebKeySet } from "jose";
import { BUDGETS } from "../../common/timeout-budgets.js";
import type { CvcStore } from "../cards/cvc-store.js";
import type { VaultConfig } from "../config.js";
import { Iso8583CardConnector } from "../connectors/card-network/iso8583-card-connector.js";
import { mastercardConfig, visaConfig } from "../connectors/card-network/network-config.js";
import { ConnectorRegistry } from "../connectors/connector-registry.js";
import type { VaultDatabase } from "../db/vault-database.js";
import type { KeyProvider } from "../keys/key-provider.js";
import { OperationResolver, type ResolverOptions } from "../operations/operation-resolver.js";
import { edgeTokenVerifier } from "./edge-token.js";
import type { InternalDeps } from "./internal.routes.js";
import { JtiReplayGuard } from "./jti-replay-guard.js";

function hostPort(value: string): [string, number] {
  const at = value.lastIndexOf(":");
  return [value.slice(0, at), Number(value.slice(at + 1))];
}

/**
 * The internal API's dependencies from configuration, or null when no edge keys are configured.
 * The resolver is built but not started: the caller starts it (and stops it on shutdown).
 */
export function openInternalApi(
  config: Pick<VaultConfig, "EDGE_TOKEN_JWKS" | "VISA_ACQUIRER" | "MASTERCARD_ACQUIRER" | "CARD_NETWORK_TIMEOUT_MS"> &
    Partial<Pick<VaultConfig, "VISA_TERMINAL_ID" | "MASTERCARD_TERMINAL_ID">>,
  deps: { db: VaultDatabase; keys: KeyProvider; cvcs: CvcStore; unusedTokenTtlSeconds?: number },
  resolverOptions: ResolverOptions = {},
): InternalDeps | null {
  if (!config.EDGE_TOKEN_JWKS) return null;
  // Unset: each network's own response timer from the budgets module.
  const timeouts = config.CARD_NETWORK_TIMEOUT_MS ? { responseTimeoutMs: config.CARD_NETWORK_TIMEOUT_MS } : {};
  // Unset (tests): each network's default terminal, as the config's defaults.
  const visa = config.VISA_TERMINAL_ID ? { terminalId: config.VISA_TERMINAL_ID } : {};
  const mastercard = config.MASTERCARD_TERMINAL_ID ? { terminalId: config.MASTERCARD_TERMINAL_ID } : {};
  const connectors = new ConnectorRegistry({
    visa: new Iso8583CardConnector(visaConfig(...hostPort(config.VISA_ACQUIRER), { ...timeouts, ...visa })),
    mastercard: new Iso8583CardConnector(
      mastercardConfig(...hostPort(config.MASTERCARD_ACQUIRER), { ...timeouts, ...mastercard }),
    ),
  });
  const jwks = JSON.parse(config.EDGE_TOKEN_JWKS) as JSONWebKeySet;
  const replayGuard = new JtiReplayGuard(deps.db);
  return {
    ...deps,
    connectors,
    verifyEdgeToken: edgeTokenVerifier(jwks, replayGuard),
    replayGuard,
    staleAfterMs: connectors.worstExchangeMs() + BUDGETS.vaultJournalMs,
    resolver: new OperationResolver(deps.db, connectors, resolverOptions),
  };
}
