import { z } from "zod";

/**
 * The development stack's credentials for the simulator. Fixed, so every checkout's stack agrees
 * with itself without a setup step; they guard nothing but simulated money. Shaped unlike real
 * PayPal client ids (80 characters from A...) on purpose, so secret scanners do not take them for one.
 */
export const DEV_CLIENT_ID = "wallet-simulator-dev-client";
export const DEV_CLIENT_SECRET = "wallet-simulator-dev-secret";
/** The webhook (subscription) id signatures cover: PayPal's shape, 17 upper-case letters and digits. */
export const DEV_WEBHOOK_ID = "WH0SIMULATOR0DEV1";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** The simulator's settings, from the environment (`npm start` sets them), parsed once here. */
export const walletConfigSchema = z.object({
  WALLET_PORT: port(8597),
  WALLET_ADMIN_PORT: port(8598),
  WALLET_DATA_DIR: z.string().min(1).optional(),
  WALLET_CLIENT_ID: z.string().min(8).default(DEV_CLIENT_ID),
  WALLET_CLIENT_SECRET: z.string().min(8).default(DEV_CLIENT_SECRET),
  /** The bearer token the gateway pulls the daily settlement reports with; unset: none are published. */
  WALLET_REPORT_TOKEN: z.string().min(16).optional(),
  /** Where webhooks are POSTed; none are sent without it. */
  WALLET_WEBHOOK_URL: z.string().url().optional(),
  WALLET_WEBHOOK_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,50}$/, "letters and digits, at most 50 (PayPal's webhook_id)")
    .default(DEV_WEBHOOK_ID),
  /**
   * An order not captured or authorized this long after its creation, or after the payer's
   * approval, is gone: PayPal's 3 hours by default.
   */
  WALLET_ORDER_EXPIRY_MS: ms(3 * 3_600_000),
  /** A capture by pending@wallet.test stays PENDING this long, then completes. */
  WALLET_PENDING_CAPTURE_MS: ms(5_000),
  /** How long an access token lives: PayPal's tokens say `expires_in` 32400 (9 hours). */
  WALLET_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).default(32_400),
});

export type WalletConfig = z.output<typeof walletConfigSchema>;
