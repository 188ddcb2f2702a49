import { Hono } from "hono";
import { z } from "zod";
import { reportDropRoutes } from "../reports/report-drop.js";
import {
  type BalanceDiscrepancies,
  balanceDiscrepanciesSchema,
  balanceReportLines,
  NO_BALANCE_DISCREPANCIES,
} from "./balance-report.js";
import { type FaultState, ROUTES } from "./faults.js";
import type { Ledger } from "./ledger.js";
import type { Webhooks } from "./webhooks.js";
import type { WireServer } from "./wire-server.js";

const faultSchema = z.strictObject({
  mode: z.enum(["none", "refuse", "never_answer", "slow", "http_500", "garbled"]),
  slow_ms: z.number().int().min(0).max(120_000).optional(),
  routes: z.union([z.literal("all"), z.array(z.enum(ROUTES)).min(1)]).optional(),
});

/**
 * The simulator's control panel (HTTP, loopback only, its own port): faults, latency, books,
 * events, and the daily balance report the gateway pulls (`GET /reports/balance/{day}` with the
 * report token; `PUT /reports/discrepancies` gets the next ones wrong on purpose).
 */
export function createAdminApi(deps: {
  ledger: Ledger;
  /** The bearer token the gateway pulls balance reports with; null: none are published. */
  reportToken: string | null;
  discrepancies: { get(): BalanceDiscrepancies; set(next: BalanceDiscrepancies): void };
  wire: WireServer;
  webhooks: Webhooks;
  faults: { get(): FaultState; set(state: FaultState): void };
}) {
  return new Hono()
    .get("/health", (c) =>
      c.json({
        status: "ok",
        port: deps.wire.boundPort(),
        latency_ms: deps.wire.latencyMs,
        faults: deps.faults.get(),
      }),
    )
    .get("/ledger", (c) => {
      const id = c.req.query("payment_intent");
      return c.json({ entries: deps.ledger.all().filter((entry) => !id || entry.id === id) });
    })
    .get("/events", (c) => c.json({ events: deps.webhooks.all() }))
    .get("/faults", (c) => c.json(deps.faults.get()))
    .put("/faults", async (c) => {
      const parsed = faultSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, 400);
      const current = deps.faults.get();
      const routes = parsed.data.routes;
      const next: FaultState = {
        mode: parsed.data.mode,
        slow_ms: parsed.data.slow_ms ?? current.slow_ms,
        routes: routes === "all" ? [...ROUTES] : (routes ?? current.routes),
      };
      deps.faults.set(next);
      // "refuse" means connections are refused: stop listening until the fault is cleared.
      if (next.mode === "refuse") await deps.wire.close();
      else await deps.wire.listen();
      return c.json(next);
    })
    .put("/latency", async (c) => {
      const body = z
        .strictObject({ latency_ms: z.number().int().min(0).max(60_000) })
        .safeParse(await c.req.json().catch(() => null));
      if (!body.success) return c.json({ error: "latency_ms must be 0-60000" }, 400);
      deps.wire.latencyMs = body.data.latency_ms;
      return c.json({ latency_ms: deps.wire.latencyMs });
    })
    .route(
      "/reports",
      reportDropRoutes({
        name: "balance",
        tokenSetting: "AGGREGATOR_REPORT_TOKEN",
        token: deps.reportToken,
        contentType: "text/csv; charset=utf-8",
        filename: (day) => `balance_change_from_activity.itemized.${day}.csv`,
        lines: (day, wrong) => balanceReportLines(deps.ledger.all(), day, wrong),
        eol: "\r\n",
        digest: true,
        schema: balanceDiscrepanciesSchema,
        none: NO_BALANCE_DISCREPANCIES,
        discrepancies: deps.discrepancies,
      }),
    );
}
