import type { VaultConfig } from "../config.js";
import { edgeNotifier } from "./edge-notifier.js";
import type { NetworkDeps } from "./network.routes.js";

/** The inbound network API's dependencies from configuration, or null when it is not configured. */
export function openNetworkApi(
  config: Pick<
    VaultConfig,
    "ACQUIRER_NOTIFY_SECRET" | "EDGE_URL" | "VAULT_NOTIFY_SIGNING_KEY" | "VISA_TERMINAL_ID" | "MASTERCARD_TERMINAL_ID"
  >,
): NetworkDeps | null {
  if (!config.ACQUIRER_NOTIFY_SECRET || !config.EDGE_URL || !config.VAULT_NOTIFY_SIGNING_KEY) return null;
  // This instance's own terminals only: an advice for another instance's terminal is not ours.
  const terminals = new Map([
    [config.VISA_TERMINAL_ID, "visa"],
    [config.MASTERCARD_TERMINAL_ID, "mastercard"],
  ]);
  return {
    acquirerSecret: config.ACQUIRER_NOTIFY_SECRET,
    processorForTerminal: (terminal) => terminals.get(terminal) ?? null,
    notifyEdge: edgeNotifier(config.EDGE_URL, config.VAULT_NOTIFY_SIGNING_KEY),
  };
}
