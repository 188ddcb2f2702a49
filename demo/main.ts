/** The demo merchant site as a process (`npm start` runs it): settings from the environment. */
import { z } from "zod";
import { startMerchantSite } from "./merchant-site.js";

const config = z
  .object({
    MERCHANT_PORT: z.coerce.number().int().min(1).max(65535).default(8790),
    VAULT_URL: z.string().url(),
    API_URL: z.string().url(),
    PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_/),
  })
  .parse(process.env);

const server = startMerchantSite(config.MERCHANT_PORT, {
  vaultUrl: config.VAULT_URL,
  apiUrl: config.API_URL,
  publishableKey: config.PUBLISHABLE_KEY,
});
console.log(JSON.stringify({ level: "info", message: "demo merchant site listening", port: config.MERCHANT_PORT }));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => server.close(() => process.exit(0)));
