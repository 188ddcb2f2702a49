import { Hono } from "hono";
import { z } from "zod";
import type { BinCoverage } from "./bin-coverage.js";
import type { Chargebacks } from "./chargebacks.js";
import { type ClearingOptions, writeClearingFile } from "./clearing-file.js";
import { clearingReportRoutes } from "./clearing-reports.js";
import type { Discrepancies } from "./discrepancies.js";
import { DEFAULT_DECLINE_CODE, FAULT_MODES, type FaultState, REQUEST_MTIS } from "./faults.js";
import type { IsoServer } from "./iso-server.js";
import type { Ledger } from "./ledger.js";

const faultSchema = z
  .strictObject({
    mode: z.enum(FAULT_MODES),
    slow_ms: z.number().int().min(0).max(120_000).optional(),
    share: z.number().min(0).max(1).optional(),
    // A field 39 decline code (ISO 8583:1987 Annex A); 00 would be an approval.
    code: z
      .string()
      .regex(/^[0-9A-Z]{2}$/, "code must be two digits or capitals")
      .refine((code) => code !== "00", "code must be a decline, not 00")
      .optional(),
    messages: z.array(z.enum(REQUEST_MTIS)).min(1).optional(),
  })
  .refine((fault) => fault.mode !== "decline_share" || fault.share !== undefined, {
    message: "decline_share needs share (0 to 1)",
    path: ["share"],
  })
  .refine((fault) => fault.mode === "decline_share" || (fault.share === undefined && fault.code === undefined), {
    message: "share and code go with mode decline_share",
    path: ["mode"],
  });

/** The simulator's control panel (HTTP, loopback only): faults, latency, ledger, clearing and its reports. */
export function createAdminApi(deps: {
  name: string;
  /** Where its merchants are (ISO 3166-1 alpha-2): prices the clearing file's fees. */
  country: string;
  /** The bearer token the gateway pulls clearing files with; null: none are published. */
  reportToken: string | null;
  discrepancies: { get(): Discrepancies; set(next: Discrepancies): void };
  coverage: BinCoverage;
  ledger: Ledger;
  iso: IsoServer;
  faults: { get(): FaultState; set(state: FaultState): void };
  clearingDir: string;
  chargebacks: Chargebacks;
}) {
  const clearing = (): ClearingOptions => ({
    acquirer: deps.name,
    country: deps.country,
    discrepancies: deps.discrepancies.get(),
  });
  return new Hono()
    .get("/health", (c) =>
      c.json({
        status: "ok",
        name: deps.name,
        iso_port: deps.iso.boundPort(),
        iso_tls: deps.iso.speaksTls,
        bins: deps.coverage,
        faults: deps.faults.get(),
      }),
    )
    .get("/ledger", (c) => {
      const rrn = c.req.query("rrn");
      const entries = deps.ledger.all().filter((entry) => !rrn || entry.rrn === rrn);
      return c.json({ entries });
    })
    .get("/faults", (c) => c.json(deps.faults.get()))
    .put("/faults", async (c) => {
      const parsed = faultSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues[0]?.message ?? "invalid" }, 400);
      const current = deps.faults.get();
      const next: FaultState = {
        mode: parsed.data.mode,
        slow_ms: parsed.data.slow_ms ?? current.slow_ms,
        // Set afresh by each decline_share switch, so a test's share and code are exactly its own.
        share: parsed.data.share ?? 0,
        code: parsed.data.code ?? DEFAULT_DECLINE_CODE,
        messages: parsed.data.messages ?? current.messages,
      };
      deps.faults.set(next);
      // "refuse" means connections are refused: stop listening until the fault is cleared.
      if (next.mode === "refuse") await deps.iso.close();
      else await deps.iso.listen();
      return c.json(next);
    })
    .put("/latency", async (c) => {
      const body = z
        .strictObject({ latency_ms: z.number().int().min(0).max(60_000) })
        .safeParse(await c.req.json().catch(() => null));
      if (!body.success) return c.json({ error: "latency_ms must be 0-60000" }, 400);
      deps.iso.latencyMs = body.data.latency_ms;
      return c.json({ latency_ms: deps.iso.latencyMs });
    })
    .get("/chargebacks", (c) => c.json({ chargebacks: deps.chargebacks.all() }))
    .post("/chargebacks", async (c) => {
      const body = z
        .strictObject({
          rrn: z.string().regex(/^[0-9A-Za-z]{12}$/),
          amount: z.number().int().positive().optional(),
          reason_code: z.string().min(1).max(10).default("10.4"),
        })
        .safeParse(await c.req.json().catch(() => null));
      if (!body.success) return c.json({ error: body.error.issues[0]?.message ?? "invalid" }, 400);
      const entry = deps.ledger.findByRrn(body.data.rrn);
      if (!entry) return c.json({ error: `no transaction with RRN ${body.data.rrn}` }, 404);
      const captured = entry.capturedAmount - entry.refundedAmount;
      if (entry.status !== "captured" || captured <= 0) {
        return c.json({ error: "only a captured transaction can be charged back" }, 409);
      }
      const amount = body.data.amount ?? captured;
      if (amount > captured) return c.json({ error: `at most ${captured} can be charged back` }, 400);
      return c.json(deps.chargebacks.open(entry, amount, body.data.reason_code), 201);
    })
    .post("/chargebacks/:id/resolve", async (c) => {
      // The network's decision on a case (`won`: the merchant won it back), pushed as its own advice.
      const body = z.strictObject({ outcome: z.enum(["won", "lost"]) }).safeParse(await c.req.json().catch(() => null));
      if (!body.success) return c.json({ error: "outcome must be won or lost" }, 400);
      const resolved = deps.chargebacks.resolve(c.req.param("id"), body.data.outcome);
      switch (resolved.kind) {
        case "resolved":
          return c.json(resolved.chargeback);
        case "missing":
          return c.json({ error: `no chargeback ${c.req.param("id")}` }, 404);
        case "conflict":
          return c.json({ error: `already resolved ${resolved.chargeback.resolution?.outcome}` }, 409);
        default: {
          const unreachable: never = resolved;
          throw new Error(`unknown resolution ${JSON.stringify(unreachable)}`);
        }
      }
    })
    .post("/clearing", (c) => {
      const day = c.req.query("day") ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return c.json({ error: "day must be YYYY-MM-DD" }, 400);
      return c.json({ path: writeClearingFile(deps.clearingDir, deps.ledger.all(), day, clearing()) });
    })
    .route(
      "/reports",
      clearingReportRoutes({
        ledger: deps.ledger,
        acquirer: deps.name,
        country: deps.country,
        token: deps.reportToken,
        discrepancies: deps.discrepancies,
      }),
    );
}
