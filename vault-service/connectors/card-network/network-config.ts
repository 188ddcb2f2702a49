/**
 * One card network link. Visa and Mastercard are two configurations of the same ISO 8583
 * connector: their own acquirer host, institution id, entry-mode conventions and timeouts.
 */
export interface CardNetworkConfig {
  processor: "visa" | "mastercard";
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
  /** How long to wait for a response once a request is on the wire. */
  responseTimeoutMs: number;
  /** Connection attempts before giving up; only failures before anything was sent are retried. */
  connectAttempts: number;
  /** Delays between reversal attempts after a timeout; the last one repeats until acknowledged. */
  reversalBackoffMs: readonly number[];
}

export function visaConfig(host: string, port: number, overrides: Partial<CardNetworkConfig> = {}): CardNetworkConfig {
  return {
    processor: "visa",
    host,
    port,
    acquirerId: "400001",
    terminalId: "GWVISA01",
    defaultMcc: "5999",
    posEntryMode: "010",
    posConditionCode: "59",
    responseTimeoutMs: 10_000,
    connectAttempts: 3,
    reversalBackoffMs: [0, 1_000, 5_000, 30_000],
    ...overrides,
  };
}

export function mastercardConfig(
  host: string,
  port: number,
  overrides: Partial<CardNetworkConfig> = {},
): CardNetworkConfig {
  return {
    processor: "mastercard",
    host,
    port,
    acquirerId: "510001",
    terminalId: "GWMC0001",
    defaultMcc: "5999",
    posEntryMode: "810",
    posConditionCode: "59",
    responseTimeoutMs: 12_000,
    connectAttempts: 3,
    reversalBackoffMs: [0, 1_000, 5_000, 30_000],
    ...overrides,
  };
}
