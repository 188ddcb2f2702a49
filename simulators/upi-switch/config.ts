import { z } from "zod";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const json = z.string().refine((value) => {
  try {
    return typeof JSON.parse(value) === "object";
  } catch {
    return false;
  }
}, "must be JSON");

/** The simulator's settings, from the environment (`npm start` sets them), parsed once here. */
export const upiSwitchConfigSchema = z.object({
  UPI_SWITCH_PORT: port(8595),
  UPI_SWITCH_ADMIN_PORT: port(8596),
  UPI_SWITCH_DATA_DIR: z.string().min(1).optional(),
  /** The switch's private RSA JWK (JSON with kid): it signs answers and callbacks. */
  UPI_SWITCH_SIGNING_KEY: json,
  /** The gateway's public JWKS (JSON): requests must verify against it. */
  UPI_PSP_JWKS: json,
  /** The gateway's callback base, e.g. http://127.0.0.1:8787/network/upi; without it no callback is sent. */
  UPI_PSP_CALLBACK_URL: z.string().url().optional(),
  /** The bearer token the gateway pulls the daily settlement files with; unset: none are published. */
  UPI_SWITCH_REPORT_TOKEN: z.string().min(16).optional(),
  UPI_PAYER_DELAY_MS: ms(500),
  /** slow@upi's callback delay: above the 90 s before the first status check (NPCI circular, 26 Apr 2025). */
  UPI_SLOW_CALLBACK_MS: ms(150_000),
  UPI_TEST_EXPIRY_MS: ms(3_000),
  UPI_REVERSAL_DELAY_MS: ms(1_000),
  UPI_DEEMED_RESOLVE_MS: ms(5_000),
  /** Requests signed longer ago are refused: the fence after which a missing txn never will exist. */
  UPI_MAX_REQUEST_AGE_MS: ms(60_000),
  /** The per-transaction cap: 1,00,000 INR. */
  UPI_TXN_LIMIT_PAISE: z.coerce.number().int().min(1).default(10_000_000),
});

export type UpiSwitchConfig = z.output<typeof upiSwitchConfigSchema>;
