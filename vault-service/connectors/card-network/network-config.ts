import { BUDGETS } from "../../../common/timeout-budgets.js";
import type { ConnectBudget, LinkTls } from "./iso8583-link.js";

/** The card networks an ISO 8583 acquirer link carries. */
export const CARD_NETWORKS = ["visa", "mastercard"] as const;
export type CardNetwork = (typeof CARD_NETWORKS)[number];

/**
 * One card network link at one acquirer. Visa and Mastercard are two configurations of the same
 * ISO 8583 connector: their own institution id and terminal at the acquirer, entry-mode
 * conventions and timeouts. The timeouts come from `common/timeout-budgets.ts`, where every
 * layer's budget is stated.
 */
export interface CardNetworkConfig {
  network: CardNetwork;
  host: string;
  port: number;
  /** Field 32: our acquiring institution id at this network. */
  acquirerId: string;
  /** Field 41. */
  terminalId: string;
  /** Field 18: merchant category code used when the merchant has none. */
  defaultMcc: string;
  /** Field 22: card-not-present, key-entered (e-commerce). */
  posEntryMode: string;
  /** Field 25: 59 = e-commerce / electronic commerce indicator. */
  posConditionCode: string;
  /** The ISO 8583 response timer: how long to wait once a request is on the wire. */
  responseTimeoutMs: number;
  /** TCP connect; only failures before anything was sent are retried. */
  connect: ConnectBudget;
  /** TLS to the acquirer, trusting only its CA; absent or null: plain TCP (a private line or VPN). */
  tls?: LinkTls | null;
}

const CONNECT: ConnectBudget = {
  timeoutMs: BUDGETS.networkConnectMs,
  attempts: BUDGETS.networkConnectAttempts,
  pauseMs: BUDGETS.networkConnectPauseMs,
};

export function visaConfig(host: string, port: number, overrides: Partial<CardNetworkConfig> = {}): CardNetworkConfig {
  return {
    network: "visa",
    host,
    port,
    acquirerId: "400001",
    terminalId: "GWVISA01",
    defaultMcc: "5999",
    posEntryMode: "010",
    posConditionCode: "59",
    responseTimeoutMs: BUDGETS.networkResponseMs.visa,
    connect: CONNECT,
    ...overrides,
  };
}

export function mastercardConfig(
  host: string,
  port: number,
  overrides: Partial<CardNetworkConfig> = {},
): CardNetworkConfig {
  return {
    network: "mastercard",
    host,
    port,
    acquirerId: "510001",
    terminalId: "GWMC0001",
    defaultMcc: "5999",
    posEntryMode: "810",
    posConditionCode: "59",
    responseTimeoutMs: BUDGETS.networkResponseMs.mastercard,
    connect: CONNECT,
    ...overrides,
  };
}

/** The longest one exchange on this link can take: every connect attempt times out, then the response timer. */
export function worstExchangeMs(config: CardNetworkConfig): number {
  const { timeoutMs, attempts, pauseMs } = config.connect;
  return attempts * timeoutMs + (attempts - 1) * pauseMs + config.responseTimeoutMs;
}
