import { readFileSync } from "node:fs";
import type { Processor } from "../../common/vault-internal-api.js";
import { DEFAULT_TERMINAL_IDS, type VaultConfig } from "../config.js";
import { Iso8583CardConnector } from "./card-network/iso8583-card-connector.js";
import { type CardNetworkConfig, mastercardConfig, visaConfig } from "./card-network/network-config.js";
import { ConnectorRegistry } from "./connector-registry.js";
import { NetworkLinks } from "./network-links.js";

/** The settings the links are made from; terminal ids left out (tests) take the defaults. */
export type NetworkLinksConfig = Pick<
  VaultConfig,
  | "VISA_ACQUIRER"
  | "MASTERCARD_ACQUIRER"
  | "LIVE_VISA_ACQUIRER"
  | "LIVE_MASTERCARD_ACQUIRER"
  | "CARD_NETWORK_TIMEOUT_MS"
> &
  Partial<Pick<VaultConfig, "ACQUIRER_TLS_CA_FILE" | "LIVE_ACQUIRER_TLS_CA_FILE">> &
  Partial<
    Pick<
      VaultConfig,
      "VISA_TERMINAL_ID" | "MASTERCARD_TERMINAL_ID" | "LIVE_VISA_TERMINAL_ID" | "LIVE_MASTERCARD_TERMINAL_ID"
    >
  >;

/** One mode's link to one network: its acquirer host and our terminal there. */
interface Link {
  acquirer: string;
  terminalId: string;
}

const NETWORK_CONFIG: Readonly<
  Record<Processor, (host: string, port: number, overrides: Partial<CardNetworkConfig>) => CardNetworkConfig>
> = {
  visa: visaConfig,
  mastercard: mastercardConfig,
};

function hostPort(value: string): [string, number] {
  const at = value.lastIndexOf(":");
  return [value.slice(0, at), Number(value.slice(at + 1))];
}

/** Every mode's connectors from configuration: test mode's always, live mode's when its links are set. */
export function openNetworkLinks(config: NetworkLinksConfig): NetworkLinks {
  // Unset: each network's own response timer from the budgets module.
  const timeouts = config.CARD_NETWORK_TIMEOUT_MS ? { responseTimeoutMs: config.CARD_NETWORK_TIMEOUT_MS } : {};
  const tls = (caFile: string | undefined) => (caFile ? { ca: readFileSync(caFile, "utf8") } : null);
  const connector = (processor: Processor, link: Link, caFile: string | undefined) =>
    new Iso8583CardConnector(
      NETWORK_CONFIG[processor](...hostPort(link.acquirer), {
        ...timeouts,
        terminalId: link.terminalId,
        tls: tls(caFile),
      }),
    );
  const registry = (links: Record<Processor, Link>, caFile: string | undefined) =>
    new ConnectorRegistry({
      visa: connector("visa", links.visa, caFile),
      mastercard: connector("mastercard", links.mastercard, caFile),
    });
  const test = registry(
    {
      visa: { acquirer: config.VISA_ACQUIRER, terminalId: config.VISA_TERMINAL_ID ?? DEFAULT_TERMINAL_IDS.test.visa },
      mastercard: {
        acquirer: config.MASTERCARD_ACQUIRER,
        terminalId: config.MASTERCARD_TERMINAL_ID ?? DEFAULT_TERMINAL_IDS.test.mastercard,
      },
    },
    config.ACQUIRER_TLS_CA_FILE,
  );
  const [liveVisa, liveMastercard] = [config.LIVE_VISA_ACQUIRER, config.LIVE_MASTERCARD_ACQUIRER];
  const live =
    liveVisa && liveMastercard
      ? registry(
          {
            visa: { acquirer: liveVisa, terminalId: config.LIVE_VISA_TERMINAL_ID ?? DEFAULT_TERMINAL_IDS.live.visa },
            mastercard: {
              acquirer: liveMastercard,
              terminalId: config.LIVE_MASTERCARD_TERMINAL_ID ?? DEFAULT_TERMINAL_IDS.live.mastercard,
            },
          },
          config.LIVE_ACQUIRER_TLS_CA_FILE,
        )
      : null;
  return new NetworkLinks({ test, live });
}
