import type { VaultConfig } from "../config.js";
import { edgeNotifier } from "./edge-notifier.js";
import type { NetworkDeps, TerminalLink } from "./network.routes.js";

/** The inbound network API's dependencies from configuration, or null when it is not configured. */
export function openNetworkApi(
  config: Pick<VaultConfig, "ACQUIRER_NOTIFY_SECRET" | "EDGE_URL" | "VAULT_NOTIFY_SIGNING_KEY"> &
    Pick<
      VaultConfig,
      | "VISA_TERMINAL_ID"
      | "MASTERCARD_TERMINAL_ID"
      | "LIVE_VISA_TERMINAL_ID"
      | "LIVE_MASTERCARD_TERMINAL_ID"
      | "ACQUIRER_B_VISA_TERMINAL_ID"
      | "ACQUIRER_B_MASTERCARD_TERMINAL_ID"
      | "LIVE_ACQUIRER_B_VISA_TERMINAL_ID"
      | "LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID"
    >,
): NetworkDeps | null {
  if (!config.ACQUIRER_NOTIFY_SECRET || !config.EDGE_URL || !config.VAULT_NOTIFY_SIGNING_KEY) return null;
  // This instance's own terminals only, of both modes and both acquirers: an advice for another
  // instance's terminal is not ours. Each terminal is one network link at one acquirer in one
  // mode: it says which processor, network and world the disputed payment is in.
  const link = (processor: TerminalLink["processor"], network: TerminalLink["network"], livemode: boolean) => ({
    processor,
    network,
    livemode,
  });
  const terminals = new Map<string, TerminalLink>([
    [config.VISA_TERMINAL_ID, link("acquirer_a", "visa", false)],
    [config.MASTERCARD_TERMINAL_ID, link("acquirer_a", "mastercard", false)],
    [config.LIVE_VISA_TERMINAL_ID, link("acquirer_a", "visa", true)],
    [config.LIVE_MASTERCARD_TERMINAL_ID, link("acquirer_a", "mastercard", true)],
    [config.ACQUIRER_B_VISA_TERMINAL_ID, link("acquirer_b", "visa", false)],
    [config.ACQUIRER_B_MASTERCARD_TERMINAL_ID, link("acquirer_b", "mastercard", false)],
    [config.LIVE_ACQUIRER_B_VISA_TERMINAL_ID, link("acquirer_b", "visa", true)],
    [config.LIVE_ACQUIRER_B_MASTERCARD_TERMINAL_ID, link("acquirer_b", "mastercard", true)],
  ]);
  return {
    acquirerSecret: config.ACQUIRER_NOTIFY_SECRET,
    linkOfTerminal: (terminal) => terminals.get(terminal) ?? null,
    edge: edgeNotifier(config.EDGE_URL, config.VAULT_NOTIFY_SIGNING_KEY),
  };
}
