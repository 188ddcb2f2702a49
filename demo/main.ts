/** The demo merchant site as a process (`npm start` runs it): settings from the environment. */
import { z } from "zod";
import { startMerchantSite } from "./merchant-site.js";

/** An unset or empty variable is absent. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const config = z
  .object({
    MERCHANT_PORT: z.coerce.number().int().min(1).max(65535).default(8790),
    VAULT_URL: z.string().url(),
    API_URL: z.string().url(),
    PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_/),
    /** For "Pay with PayPal" (the site's server creates the payment); without it the button is disabled. */
    SECRET_KEY: optional(z.string().regex(/^sk_(test|live)_/)),
    /** Where the wallet sends the payer back; default this site on 127.0.0.1. */
    MERCHANT_SITE_URL: optional(z.string().url()),
  })
  .parse(process.env);

const server = startMerchantSite(config.MERCHANT_PORT, {
  vaultUrl: config.VAULT_URL,
  apiUrl: config.API_URL,
  publishableKey: config.PUBLISHABLE_KEY,
  ...(config.SECRET_KEY ? { secretKey: config.SECRET_KEY } : {}),
  siteUrl: (config.MERCHANT_SITE_URL ?? `http://127.0.0.1:${config.MERCHANT_PORT}`).replace(/\/+$/, ""),
});
// The secret key stays out of the log: only whether PayPal is on.
console.log(
  JSON.stringify({
    level: "info",
    message: "demo merchant site listening",
    port: config.MERCHANT_PORT,
    paypal: config.SECRET_KEY !== undefined,
  }),
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => server.close(() => process.exit(0)));
