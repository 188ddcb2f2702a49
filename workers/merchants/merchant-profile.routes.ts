import { Hono } from "hono";
import { apiKeyCache } from "../api-keys/api-key-cache.js";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { forgetMerchantFacts } from "../payments/routing-facts-cache.js";
import { readJsonBody } from "../validation/request-body.js";
import { findMerchant, updateMerchant } from "./merchants.repository.js";
import { updateMerchantSchema } from "./merchants.schemas.js";
import { merchantView } from "./merchants.view.js";
import { assertTokenizationOriginsAllowed } from "./tokenization-origin-policy.js";

/** The authenticated merchant's own profile and settlement config. Mounted at `/v1/merchant`. */
export const merchantProfileRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .get("/", async (c) => {
    const merchant = await findMerchant(await c.var.db(), c.var.apiKey!.merchantId);
    if (!merchant) throw new ApiError("resource_missing");
    return c.json(merchantView(merchant));
  })
  .patch("/", async (c) => {
    const body = await readJsonBody(c, updateMerchantSchema);
    assertTokenizationOriginsAllowed(body.tokenization_origins, c.env);
    const merchant = await updateMerchant(await c.var.db(), c.var.apiKey!.merchantId, body);
    if (!merchant) throw new ApiError("resource_missing");
    // Other isolates learn of the change within their caches' TTLs.
    if (body.api_version) apiKeyCache.forgetMerchant(merchant.id);
    if (body.name) forgetMerchantFacts(merchant.id); // a UPI payer's app and the wallet's page show it
    await recordAudit(c, "merchant.updated", merchant.id, { version: merchant.version });
    return c.json(merchantView(merchant));
  });
