import { Hono } from "hono";
import { z } from "zod";
import { reportDropRoutes } from "../reports/report-drop.js";
import { attemptView, txnView } from "./admin-views.js";
import type { Callbacks } from "./callbacks.js";
import { type CallbackMode, type CreditLeg, FAULT_MODES, type FaultState, REQUEST_APIS } from "./faults.js";
import { FINAL_STATES, type Ledger } from "./ledger.js";
import {
  NO_SETTLEMENT_DISCREPANCIES,
  type SettlementDiscrepancies,
  settlementCsv,
  settlementDiscrepanciesSchema,
  settlementLines,
  writeSettlementFile,
} from "./settlement-file.js";
import type { WireServer } from "./wire-server.js";

const faultSchema = z.strictObject({
  mode: z.enum(FAULT_MODES),
  slow_ms: z.number().int().min(0).max(300_000).optional(),
  apis: z.union([z.literal("all"), z.array(z.enum(REQUEST_APIS)).min(1)]).optional(),
});
const legsSchema = z.strictObject({ credit_leg: z.enum(["ok", "fail", "deemed"]) });
const callbacksSchema = z.strictObject({ mode: z.enum(["deliver", "drop"]) });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export interface SwitchControls {
  faults: FaultState;
  creditLeg: CreditLeg;
  callbackMode: CallbackMode;
  /** What the next settlement files the gateway pulls get wrong on purpose. */
  discrepancies: SettlementDiscrepancies;
}

/**
 * The simulator's control panel (HTTP, loopback only, its own port): faults, legs, callbacks,
 * books, settlement; and the settlement file's drop the gateway pulls
 * (`GET /reports/settlement/{day}` with the report token; `PUT /reports/discrepancies`).
 */
export function createAdminApi(deps: {
  ledger: Ledger;
  /** The bearer token the gateway pulls settlement files with; null: none are published. */
  reportToken: string | null;
  wire: WireServer;
  callbacks: Callbacks;
  controls: SwitchControls;
  dataDir: string | null;
}) {
  const { ledger, controls } = deps;
  const invalid = (error: z.ZodError) => ({ error: error.issues[0]?.message ?? "invalid" });
  return new Hono()
    .get("/health", (c) =>
      c.json({
        status: "ok",
        port: deps.wire.boundPort(),
        faults: controls.faults,
        credit_leg: controls.creditLeg,
        callbacks: controls.callbackMode,
      }),
    )
    .get("/faults", (c) => c.json(controls.faults))
    .put("/faults", async (c) => {
      const parsed = faultSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json(invalid(parsed.error), 400);
      const { mode, slow_ms, apis } = parsed.data;
      controls.faults = {
        mode,
        slow_ms: slow_ms ?? controls.faults.slow_ms,
        apis: apis === "all" ? [...REQUEST_APIS] : (apis ?? controls.faults.apis),
      };
      // "refuse" means connections are refused: stop listening until the fault is cleared.
      if (mode === "refuse") await deps.wire.close();
      else await deps.wire.listen();
      return c.json(controls.faults);
    })
    .put("/legs", async (c) => {
      const parsed = legsSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json(invalid(parsed.error), 400);
      controls.creditLeg = parsed.data.credit_leg;
      return c.json({ credit_leg: controls.creditLeg });
    })
    .put("/callbacks", async (c) => {
      const parsed = callbacksSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json(invalid(parsed.error), 400);
      controls.callbackMode = parsed.data.mode;
      return c.json({ mode: controls.callbackMode });
    })
    .get("/transactions", (c) => {
      const txn = c.req.query("txn");
      const records = ledger.all().filter((r) => !txn || r.id === txn || r.orgTxnId === txn);
      return c.json({ transactions: records.map((record) => txnView(ledger, record)) });
    })
    .get("/transactions/:id", (c) => {
      const record = ledger.get(c.req.param("id"));
      return record ? c.json(txnView(ledger, record)) : c.json({ error: "no such transaction" }, 404);
    })
    .get("/accounts", (c) =>
      c.json({
        accounts: Object.entries(ledger.balances()).map(([vpa, balance]) => ({ vpa, balance_paise: balance })),
      }),
    )
    .get("/callbacks", (c) => c.json({ callbacks: deps.callbacks.attempts(c.req.query("txn")).map(attemptView) }))
    .post("/callbacks/:txnId/replay", async (c) => {
      const record = ledger.get(c.req.param("txnId"));
      if (!record) return c.json({ error: "no such transaction" }, 404);
      if (!FINAL_STATES.includes(record.state) || !record.callback.msgId) {
        return c.json({ error: `not final (${record.state})` }, 409);
      }
      return c.json({ txn_id: record.id, status: await deps.callbacks.replay(record) });
    })
    .get("/settlement/:date", (c) => {
      const date = day.safeParse(c.req.param("date"));
      if (!date.success) return c.json({ error: "date must be YYYY-MM-DD" }, 400);
      return c.body(settlementCsv(ledger.all(), date.data), 200, { "Content-Type": "text/csv; charset=utf-8" });
    })
    .post("/settlement/:date/close", (c) => {
      const date = day.safeParse(c.req.param("date"));
      if (!date.success) return c.json({ error: "date must be YYYY-MM-DD" }, 400);
      if (!deps.dataDir) return c.json({ error: "no data directory" }, 409);
      return c.json({ path: writeSettlementFile(deps.dataDir, ledger.all(), date.data) });
    })
    .route(
      "/reports",
      reportDropRoutes({
        name: "settlement",
        tokenSetting: "UPI_SWITCH_REPORT_TOKEN",
        token: deps.reportToken,
        contentType: "text/csv; charset=utf-8",
        filename: (date) => `settlement-${date.replaceAll("-", "")}.csv`,
        lines: (date, wrong) => settlementLines(ledger.all(), date, wrong),
        eol: "\r\n",
        digest: true,
        schema: settlementDiscrepanciesSchema,
        none: NO_SETTLEMENT_DISCREPANCIES,
        discrepancies: {
          get: () => controls.discrepancies,
          set: (next) => {
            controls.discrepancies = next;
          },
        },
      }),
    );
}
