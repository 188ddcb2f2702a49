import type { VaultConfig } from "../config.js";
import { edgeNotifier } from "./edge-notifier.js";
import type { NetworkDeps, TerminalLink } from "./network.routes.js";

/** The inbound network API's dependencies from configuration, or null when it is not configured. */
export function openNetworkApi(
  config: Pick<
    VaultConfig,
    | "ACQUIRER_NOTIFY_SECRET"
    | "EDGE_URL"
    | "VAULT_NOTIFY_SIGNING_KEY"
    | "VISA_TERMINAL_ID"
    | "MASTERCARD_TERMINAL_ID"
    | "LIVE_VISA_TERMINAL_ID"
    | "LIVE_MASTERCARD_TERMINAL_ID"
  >,
): NetworkDeps | null {
  if (!config.ACQUIRER_NOTIFY_SECRET || !config.EDGE_URL || !config.VAULT_NOTIFY_SIGNING_KEY) return null;
  // This instance's own terminals only, of both modes: an advice for another instance's terminal is not ours.
  // Each terminal is one network link of one mode: it says which world the disputed payment is in.
  const terminals = new Map<string, TerminalLink>([
    [config.VISA_TERMINAL_ID, { processor: "visa", livemode: false }],
    [config.MASTERCARD_TERMINAL_ID, { processor: "mastercard", livemode: false }],
    [config.LIVE_VISA_TERMINAL_ID, { processor: "visa", livemode: true }],
    [config.LIVE_MASTERCARD_TERMINAL_ID, { processor: "mastercard", livemode: true }],
  ]);
  return {
    acquirerSecret: config.ACQUIRER_NOTIFY_SECRET,
    linkOfTerminal: (terminal) => terminals.get(terminal) ?? null,
    notifyEdge: edgeNotifier(config.EDGE_URL, config.VAULT_NOTIFY_SIGNING_KEY),
  };
}
