import { Hono } from "hono";
import { newId } from "../../common/ids.js";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readJsonBody, readQuery } from "../validation/request-body.js";
import { LATEST_API_VERSION } from "../versions/api-versions.js";
import { listDeliveries } from "./webhook-deliveries.repository.js";
import {
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  updateEndpoint,
} from "./webhook-endpoints.repository.js";
import {
  createEndpointSchema,
  listSchema,
  rotateSecretSchema,
  updateEndpointSchema,
} from "./webhook-endpoints.schemas.js";
import { deliveryView, endpointView } from "./webhook-endpoints.view.js";
import { newWebhookSecret, sealWebhookSecret } from "./webhook-secret.js";
import { assertWebhookUrlAllowed } from "./webhook-url-policy.js";

const DEFAULT_OVERLAP_SECONDS = 86_400;

/**
 * Where deliveries go, as the audit trail keeps it: scheme, host and path, without a query a
 * receiver may use as its own shared secret.
 */
const auditedUrl = (value: string) => {
  const url = new URL(value);
  return `${url.origin}${url.pathname}`;
};

const missing = (id: string) =>
  new ApiError("resource_missing", { param: "id", message: `No such webhook endpoint: '${id}'.` });

/**
 * The seed's webhook endpoints, several per merchant: `POST /v1/webhook_endpoints` answers with
 * the signing secret once; update (including disable), delete, rotate the secret with an overlap,
 * and read the delivery log. An endpoint takes the creating key's mode, receives only that mode's
 * events, and is found only by keys of that mode.
 */
export const webhookEndpointRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .post("/", async (c) => {
    const body = await readJsonBody(c, createEndpointSchema);
    assertWebhookUrlAllowed(body.url, c.env);
    const id = newId("webhookEndpoint");
    const secret = newWebhookSecret();
    const row = await insertEndpoint(await c.var.db(), {
      id,
      merchantId: c.var.apiKey!.merchantId,
      livemode: c.var.apiKey!.livemode,
      url: body.url,
      description: body.description ?? null,
      enabledEvents: body.enabled_events,
      secretCiphertext: await sealWebhookSecret(c.env, id, secret),
      // The account's default unless named (Stripe's rule): a one-off Api-Version header on this
      // request must not pin every future delivery.
      apiVersion: body.api_version ?? c.var.merchantApiVersion ?? LATEST_API_VERSION,
    });
    await recordAudit(c, "webhook_endpoint.created", row.id, {
      url: auditedUrl(row.url),
      enabled_events: row.enabledEvents.join(","),
    });
    return c.json(endpointView(row, secret), 201);
  })
  .get("/", async (c) => {
    const query = readQuery(c, listSchema);
    const limit = query.limit ?? 10;
    const rows = await listEndpoints(await c.var.db(), c.var.apiKey!, limit, query.starting_after);
    return c.json({
      object: "list",
      url: "/v1/webhook_endpoints",
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map((row) => endpointView(row)),
    });
  })
  .get("/:id", async (c) => {
    const row = await findEndpoint(await c.var.db(), c.var.apiKey!, c.req.param("id"));
    if (!row) throw missing(c.req.param("id"));
    return c.json(endpointView(row));
  })
  .post("/:id", async (c) => {
    const body = await readJsonBody(c, updateEndpointSchema);
    if (body.url !== undefined) assertWebhookUrlAllowed(body.url, c.env);
    const row = await updateEndpoint(await c.var.db(), c.var.apiKey!, c.req.param("id"), {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.enabled_events !== undefined ? { enabledEvents: body.enabled_events } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.api_version !== undefined ? { apiVersion: body.api_version } : {}),
      ...(body.disabled === true ? { status: "disabled", disabledReason: "merchant" } : {}),
      ...(body.disabled === false ? { status: "enabled", disabledReason: null } : {}),
    });
    if (!row) throw missing(c.req.param("id"));
    await recordAudit(c, "webhook_endpoint.updated", row.id, {
      ...(body.url !== undefined ? { url: auditedUrl(body.url) } : {}),
      ...(body.enabled_events !== undefined ? { enabled_events: body.enabled_events.join(",") } : {}),
      ...(body.description !== undefined ? { description_changed: true } : {}),
      ...(body.api_version !== undefined ? { api_version: body.api_version } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
    });
    return c.json(endpointView(row));
  })
  .delete("/:id", async (c) => {
    const deleted = await deleteEndpoint(await c.var.db(), c.var.apiKey!, c.req.param("id"));
    if (!deleted) throw missing(c.req.param("id"));
    await recordAudit(c, "webhook_endpoint.deleted", c.req.param("id"));
    return c.json({ id: c.req.param("id"), object: "webhook_endpoint", deleted: true });
  })
  .post("/:id/rotate_secret", async (c) => {
    const body = await readJsonBody(c, rotateSecretSchema);
    const db = await c.var.db();
    const owner = c.var.apiKey!;
    const current = await findEndpoint(db, owner, c.req.param("id"));
    if (!current) throw missing(c.req.param("id"));
    const secret = newWebhookSecret();
    const overlap = body.expire_previous_in_seconds ?? DEFAULT_OVERLAP_SECONDS;
    const row = await updateEndpoint(db, owner, current.id, {
      secretCiphertext: await sealWebhookSecret(c.env, current.id, secret),
      previousSecretCiphertext: overlap > 0 ? current.secretCiphertext : null,
      previousSecretExpiresAt: overlap > 0 ? new Date(Date.now() + overlap * 1000) : null,
    });
    // The new secret and the old one stay out of the trail; when the old one stops signing is in it.
    await recordAudit(c, "webhook_endpoint.secret_rotated", current.id, { expire_previous_in_seconds: overlap });
    return c.json(endpointView(row!, secret));
  })
  .get("/:id/deliveries", async (c) => {
    const query = readQuery(c, listSchema);
    const limit = query.limit ?? 10;
    const db = await c.var.db();
    const endpoint = await findEndpoint(db, c.var.apiKey!, c.req.param("id"));
    if (!endpoint) throw missing(c.req.param("id"));
    const { rows, attempts } = await listDeliveries(db, endpoint.id, limit, query.starting_after);
    return c.json({
      object: "list",
      url: `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map(({ delivery, type }) =>
        deliveryView(
          delivery,
          type,
          attempts.filter((attempt) => attempt.deliveryId === delivery.id),
        ),
      ),
    });
  });
