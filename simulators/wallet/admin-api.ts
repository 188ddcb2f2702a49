import { Hono } from "hono";
import { z } from "zod";
import { reportDropRoutes } from "../reports/report-drop.js";
import { eventAdminView, ledgerEntry, orderAdminView } from "./admin-views.js";
import type { Books } from "./books.js";
import { FAULT_MODES, type FaultState, ROUTES } from "./faults.js";
import type { Orders } from "./orders.js";
import {
  NO_STL_DISCREPANCIES,
  type StlDiscrepancies,
  settlementReportLines,
  stlDiscrepanciesSchema,
} from "./settlement-report.js";
import type { WebhookMode, Webhooks } from "./webhooks.js";
import type { WireServer } from "./wire-server.js";

const faultSchema = z.strictObject({
  mode: z.enum(FAULT_MODES),
  slow_ms: z.number().int().min(0).max(300_000).optional(),
  routes: z.union([z.literal("all"), z.array(z.enum(ROUTES)).min(1)]).optional(),
});
const webhookModeSchema = z.strictObject({ mode: z.enum(["deliver", "drop"]) });

export interface WalletControls {
  faults: FaultState;
  webhooks: WebhookMode;
  /** What the next settlement reports the gateway pulls get wrong on purpose. */
  discrepancies: StlDiscrepancies;
}

/**
 * The simulator's control panel (HTTP, loopback only, its own port): faults, webhooks, books,
 * expiry; and the settlement report's drop the gateway pulls (`GET /reports/settlement/{day}`
 * with the report token; `PUT /reports/discrepancies`).
 */
export function createAdminApi(deps: {
  books: Books;
  /** The bearer token the gateway pulls settlement reports with; null: none are published. */
  reportToken: string | null;
  orders: Orders;
  webhooks: Webhooks;
  wire: WireServer;
  controls: WalletControls;
}) {
  const { books, controls } = deps;
  const invalid = (error: z.ZodError) => ({ error: error.issues[0]?.message ?? "invalid" });
  const noOrder = { error: "no such order" };
  return new Hono()
    .get("/health", (c) =>
      c.json({ status: "ok", port: deps.wire.boundPort(), faults: controls.faults, webhooks: controls.webhooks }),
    )
    .get("/faults", (c) => c.json(controls.faults))
    .put("/faults", async (c) => {
      const parsed = faultSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json(invalid(parsed.error), 400);
      const { mode, slow_ms, routes } = parsed.data;
      controls.faults = {
        mode,
        slow_ms: slow_ms ?? controls.faults.slow_ms,
        routes: routes === "all" ? [...ROUTES] : (routes ?? controls.faults.routes),
      };
      // "refuse" means connections are refused: stop listening until the fault is cleared.
      if (mode === "refuse") await deps.wire.close();
      else await deps.wire.listen();
      return c.json(controls.faults);
    })
    .get("/orders", (c) => c.json({ orders: books.all().map(orderAdminView) }))
    .get("/orders/:id", (c) => {
      const order = books.order(c.req.param("id"));
      return order ? c.json(orderAdminView(order)) : c.json(noOrder, 404);
    })
    .post("/orders/:id/expire", (c) => {
      const order = books.order(c.req.param("id"));
      if (!order) return c.json(noOrder, 404);
      // Approved but never captured or authorized expires too; what was captured or authorized stays.
      if (!deps.orders.expire(order)) {
        return c.json({ error: `already ${order.expiredAt ? "expired" : order.status.toLowerCase()}` }, 409);
      }
      return c.json(orderAdminView(order));
    })
    .get("/ledger", (c) => c.json({ entries: books.all().map(ledgerEntry) }))
    .get("/webhooks", (c) =>
      c.json({ mode: controls.webhooks, events: deps.webhooks.all(c.req.query("order")).map(eventAdminView) }),
    )
    .put("/webhooks", async (c) => {
      const parsed = webhookModeSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json(invalid(parsed.error), 400);
      controls.webhooks = parsed.data.mode;
      return c.json({ mode: controls.webhooks });
    })
    .post("/webhooks/:eventId/replay", async (c) => {
      const event = deps.webhooks.get(c.req.param("eventId"));
      if (!event) return c.json({ error: "no such event" }, 404);
      return c.json({ event_id: event.id, status: await deps.webhooks.replay(event) });
    })
    .route(
      "/reports",
      reportDropRoutes({
        name: "settlement",
        tokenSetting: "WALLET_REPORT_TOKEN",
        token: deps.reportToken,
        contentType: "text/csv; charset=utf-8",
        // PayPal's name: STL-yyyymmdd.sequenceNumber.version.format.
        filename: (day) => `STL-${day.replaceAll("-", "")}.01.011.CSV`,
        lines: (day, wrong) => settlementReportLines(books.all(), day, wrong),
        eol: "\r\n",
        // The footers' counts and totals tell a report cut short.
        digest: false,
        schema: stlDiscrepanciesSchema,
        none: NO_STL_DISCREPANCIES,
        discrepancies: {
          get: () => controls.discrepancies,
          set: (next) => {
            controls.discrepancies = next;
          },
        },
      }),
    );
}
