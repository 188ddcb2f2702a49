import type { VaultConfig } from "../config.js";
import { mastercardConfig, visaConfig } from "../connectors/card-network/network-config.js";
import { edgeNotifier } from "./edge-notifier.js";
import type { NetworkDeps } from "./network.routes.js";

/** The inbound network API's dependencies from configuration, or null when it is not configured. */
export function openNetworkApi(
  config: Pick<VaultConfig, "ACQUIRER_NOTIFY_SECRET" | "EDGE_URL" | "VAULT_NOTIFY_SIGNING_KEY">,
): NetworkDeps | null {
  if (!config.ACQUIRER_NOTIFY_SECRET || !config.EDGE_URL || !config.VAULT_NOTIFY_SIGNING_KEY) return null;
  const terminals = new Map(
    [visaConfig("", 0), mastercardConfig("", 0)].map((network) => [network.terminalId, network.processor]),
  );
  return {
    acquirerSecret: config.ACQUIRER_NOTIFY_SECRET,
    processorForTerminal: (terminal) => terminals.get(terminal) ?? null,
    notifyEdge: edgeNotifier(config.EDGE_URL, config.VAULT_NOTIFY_SIGNING_KEY),
  };
}
