import { Hono } from "hono";
import { insertApiKey } from "../api-keys/api-keys.repository.js";
import { opsCreateApiKeySchema } from "../api-keys/api-keys.schemas.js";
import { apiKeyView } from "../api-keys/api-keys.view.js";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { opsAuth } from "../middleware/ops-auth/index.js";
import { readJsonBody } from "../validation/request-body.js";
import { createMerchant, findMerchant } from "./merchants.repository.js";
import { createMerchantSchema } from "./merchants.schemas.js";
import { merchantView } from "./merchants.view.js";
import { assertTokenizationOriginsAllowed } from "./tokenization-origin-policy.js";

const notFound = (id: string) =>
  new ApiError("resource_missing", { param: "id", message: `No such merchant: '${id}'.` });

/** Ops routes over merchants, behind OAuth 2.0 scopes. Mounted at `/v1/merchants`. */
export const opsMerchantRoutes = new Hono<AppEnv>()
  .post("/", opsAuth("merchants:write"), async (c) => {
    const body = await readJsonBody(c, createMerchantSchema);
    assertTokenizationOriginsAllowed(body.tokenization_origins, c.env);
    const { merchant, secretKey, publishableKey } = await createMerchant(await c.var.db(), c.env.API_KEY_PEPPER, body);
    await recordAudit(c, "merchant.created", merchant.id);
    // The keys appear here once; afterwards only their redacted form can be read.
    return c.json(
      {
        ...merchantView(merchant),
        keys: {
          secret: apiKeyView(secretKey.row, secretKey.secret),
          publishable: apiKeyView(publishableKey.row, publishableKey.secret),
        },
      },
      201,
    );
  })
  .get("/:id", opsAuth("merchants:read"), async (c) => {
    const merchant = await findMerchant(await c.var.db(), c.req.param("id"));
    if (!merchant) throw notFound(c.req.param("id"));
    return c.json(merchantView(merchant));
  })
  .post("/:id/api_keys", opsAuth("api_keys:write"), async (c) => {
    const body = await readJsonBody(c, opsCreateApiKeySchema);
    const db = await c.var.db();
    const merchant = await findMerchant(db, c.req.param("id"));
    if (!merchant) throw notFound(c.req.param("id"));
    const issued = await insertApiKey(db, c.env.API_KEY_PEPPER, {
      merchantId: merchant.id,
      type: body.type,
      livemode: body.livemode ?? false,
      name: body.name,
      allowedIps: body.allowed_ips,
    });
    await recordAudit(c, "api_key.created", issued.row.id, { merchant_id: merchant.id });
    return c.json(apiKeyView(issued.row, issued.secret), 201);
  });
