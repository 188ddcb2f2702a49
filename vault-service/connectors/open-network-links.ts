import { readFileSync } from "node:fs";
import type { CardProcessorId } from "../../common/processor-registry.js";
import { type AcquirerLinks, acquirerLinks, type VaultConfig } from "../config.js";
import { AggregatorConnector } from "./aggregator/aggregator.connector.js";
import type { CardConnector } from "./card-connector.js";
import { AcquirerConnector } from "./card-network/acquirer-connector.js";
import { Iso8583CardConnector } from "./card-network/iso8583-card-connector.js";
import {
  type CardNetwork,
  type CardNetworkConfig,
  mastercardConfig,
  visaConfig,
} from "./card-network/network-config.js";
import { ConnectorRegistry } from "./connector-registry.js";
import { NetworkLinks } from "./network-links.js";

/** The settings the links are made from (`loadConfig`'s output, or a test's subset with defaults). */
export type NetworkLinksConfig = Parameters<typeof acquirerLinks>[0] &
  Pick<VaultConfig, "CARD_NETWORK_TIMEOUT_MS" | "AGGREGATOR_URL" | "AGGREGATOR_SECRET_KEY" | "AGGREGATOR_TIMEOUT_MS"> &
  Partial<
    Pick<
      VaultConfig,
      "ACQUIRER_TLS_CA_FILE" | "LIVE_ACQUIRER_TLS_CA_FILE" | "LIVE_AGGREGATOR_URL" | "LIVE_AGGREGATOR_SECRET_KEY"
    >
  >;

/** Field 32: our acquiring institution id at each acquirer, per network (the same in both modes). */
const INSTITUTION_IDS: Readonly<Record<"acquirer_a" | "acquirer_b", Record<CardNetwork, string>>> = {
  acquirer_a: { visa: "400001", mastercard: "510001" },
  acquirer_b: { visa: "400002", mastercard: "510002" },
};

const NETWORK_CONFIG: Readonly<
  Record<CardNetwork, (host: string, port: number, overrides: Partial<CardNetworkConfig>) => CardNetworkConfig>
> = {
  visa: visaConfig,
  mastercard: mastercardConfig,
};

function hostPort(value: string): [string, number] {
  const at = value.lastIndexOf(":");
  return [value.slice(0, at), Number(value.slice(at + 1))];
}

/** Every mode's connectors from configuration: each processor that mode has settings for. */
export function openNetworkLinks(config: NetworkLinksConfig): NetworkLinks {
  // Unset: each network's own response timer from the budgets module.
  const timeouts = config.CARD_NETWORK_TIMEOUT_MS ? { responseTimeoutMs: config.CARD_NETWORK_TIMEOUT_MS } : {};
  const tls = (caFile: string | undefined) => (caFile ? { ca: readFileSync(caFile, "utf8") } : null);
  const acquirer = (id: "acquirer_a" | "acquirer_b", links: AcquirerLinks | null, caFile: string | undefined) => {
    if (!links) return null;
    const link = (network: CardNetwork) =>
      new Iso8583CardConnector(
        NETWORK_CONFIG[network](...hostPort(links[network].host), {
          ...timeouts,
          acquirerId: INSTITUTION_IDS[id][network],
          terminalId: links[network].terminalId,
          tls: tls(caFile),
        }),
      );
    return new AcquirerConnector(id, { visa: link("visa"), mastercard: link("mastercard") });
  };
  const aggregator = (url: string | undefined, secretKey: string | undefined) =>
    url && secretKey ? new AggregatorConnector({ url, secretKey, timeoutMs: config.AGGREGATOR_TIMEOUT_MS }) : null;
  const registry = (connectors: Record<CardProcessorId, CardConnector | null>) =>
    new ConnectorRegistry(
      Object.fromEntries(Object.entries(connectors).filter(([, connector]) => connector !== null)) as Partial<
        Record<CardProcessorId, CardConnector>
      >,
    );
  const links = acquirerLinks(config);
  return new NetworkLinks({
    test: registry({
      acquirer_a: acquirer("acquirer_a", links.test.acquirer_a, config.ACQUIRER_TLS_CA_FILE),
      acquirer_b: acquirer("acquirer_b", links.test.acquirer_b, config.ACQUIRER_TLS_CA_FILE),
      aggregator: aggregator(config.AGGREGATOR_URL, config.AGGREGATOR_SECRET_KEY),
    }),
    live: registry({
      acquirer_a: acquirer("acquirer_a", links.live.acquirer_a, config.LIVE_ACQUIRER_TLS_CA_FILE),
      acquirer_b: acquirer("acquirer_b", links.live.acquirer_b, config.LIVE_ACQUIRER_TLS_CA_FILE),
      aggregator: aggregator(config.LIVE_AGGREGATOR_URL, config.LIVE_AGGREGATOR_SECRET_KEY),
    }),
  });
}
