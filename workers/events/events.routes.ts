import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readJsonBody, readQuery } from "../validation/request-body.js";
import { enqueueDeliveries } from "../webhooks/delivery-queue.js";
import { reopenDeliveries } from "../webhooks/webhook-deliveries.repository.js";
import { findEndpoint, subscribedEndpointIds } from "../webhooks/webhook-endpoints.repository.js";
import { findEvent, listEvents } from "./events.repository.js";
import { listEventsSchema, resendSchema } from "./events.schemas.js";
import { eventPayload } from "./events.view.js";

/**
 * `GET /v1/events[/{id}]` from Postgres, and `POST /v1/events/{id}/resend` to one endpoint or all:
 * the caller's merchant and mode only (a test key does not find a live event, nor a live endpoint).
 */
export const eventRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .get("/", async (c) => {
    const query = readQuery(c, listEventsSchema);
    const limit = query.limit ?? 10;
    const rows = await listEvents(await c.var.db(), {
      owner: c.var.apiKey!,
      limit,
      ...(query.type ? { type: query.type } : {}),
      ...(query.starting_after ? { startingAfter: query.starting_after } : {}),
      ...(query["created[gte]"] !== undefined ? { createdFrom: new Date(query["created[gte]"] * 1000) } : {}),
      ...(query["created[lte]"] !== undefined ? { createdTo: new Date(query["created[lte]"] * 1000) } : {}),
    });
    return c.json({
      object: "list",
      url: "/v1/events",
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map(eventPayload),
    });
  })
  .get("/:id", async (c) => {
    const row = await findEvent(await c.var.db(), c.var.apiKey!, c.req.param("id"));
    if (!row)
      throw new ApiError("resource_missing", { param: "id", message: `No such event: '${c.req.param("id")}'.` });
    return c.json(eventPayload(row));
  })
  .post("/:id/resend", async (c) => {
    const body = await readJsonBody(c, resendSchema);
    const db = await c.var.db();
    const owner = c.var.apiKey!;
    const event = await findEvent(db, owner, c.req.param("id"));
    if (!event)
      throw new ApiError("resource_missing", { param: "id", message: `No such event: '${c.req.param("id")}'.` });
    let endpointIds: string[];
    if (body.endpoint) {
      const endpoint = await findEndpoint(db, owner, body.endpoint);
      if (endpoint?.status !== "enabled") {
        throw new ApiError("resource_missing", {
          param: "endpoint",
          message: `No such enabled webhook endpoint: '${body.endpoint}'.`,
        });
      }
      endpointIds = [endpoint.id];
    } else {
      endpointIds = await subscribedEndpointIds(db, owner, event.type);
    }
    const messages = await reopenDeliveries(db, event, endpointIds);
    await enqueueDeliveries(c.env, messages);
    return c.json({ object: "event_resend", event: event.id, deliveries: messages.map((m) => m.delivery_id) });
  });
