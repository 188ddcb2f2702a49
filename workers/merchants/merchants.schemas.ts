import { z } from "zod";
import { isCurrency } from "../../common/currencies.js";
import { API_VERSIONS } from "../versions/api-versions.js";

const currency = z
  .string()
  .meta({ description: "ISO 4217 code, either case.", examples: ["usd"] })
  .transform((value) => value.toUpperCase())
  .refine(isCurrency, { message: "must be an ISO 4217 currency code (usd, eur, inr, ...)" });

/** Browser origins only: scheme, host and optional port, no path (the CORS `Origin` form). */
const origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
    } catch {
      return false;
    }
  },
  { message: "must be an origin such as https://shop.example (no path, no trailing slash)" },
);

const settlementConfig = z.strictObject({
  schedule: z.enum(["daily", "weekly", "monthly"]),
  delay_days: z.number().int().min(0).max(30),
  /** When the business day closes for settlement, in UTC hours (0: midnight, the default). */
  cutoff_hour: z.number().int().min(0).max(23).optional(),
  currency,
  // Card networks limit the descriptor to 22 characters (Visa/Mastercard clearing records).
  statement_descriptor: z.string().trim().min(5).max(22).nullable(),
});

export const createMerchantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as US"),
  default_currency: currency,
  settlement_config: settlementConfig.partial().optional(),
  tokenization_origins: z.array(origin).max(20).optional(),
  /** Defaults to the latest version. */
  api_version: z.enum(API_VERSIONS).optional(),
});

export const updateMerchantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(254).optional(),
  settlement_config: settlementConfig.partial().optional(),
  tokenization_origins: z.array(origin).max(20).optional(),
  /** Move the account's default API version (or back, while your integration catches up). */
  api_version: z.enum(API_VERSIONS).optional(),
});

export type CreateMerchantInput = z.output<typeof createMerchantSchema>;
export type UpdateMerchantInput = z.output<typeof updateMerchantSchema>;
