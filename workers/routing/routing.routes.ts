import type { Context } from "hono";
import { Hono } from "hono";
import type { Owner } from "../../common/owner.js";
import type { AppEnv } from "../app-env.js";
import { recordAudit } from "../audit/audit-log.js";
import { ApiError } from "../errors/api-error.js";
import { findMerchant } from "../merchants/merchants.repository.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readJsonBody } from "../validation/request-body.js";
import { ALL_HEALTHY, type HealthSnapshot } from "./health-snapshot.js";
import { processorsInMode } from "./processors-in-mode.js";
import { findRouting, saveRouting } from "./routing.repository.js";
import { putRoutingSchema, simulateRoutingSchema } from "./routing.schemas.js";
import { decisionView, routingView } from "./routing.view.js";
import { forgetRouting } from "./routing-cache.js";
import type { RoutingConfig } from "./routing-config.js";
import { decide } from "./routing-engine.js";

/** Where the simulator reads processor health from; the processor-health objects plug theirs in. */
export type HealthSnapshotProvider = (c: Context<AppEnv>, livemode: boolean) => Promise<HealthSnapshot>;

const ownerOf = (c: Context<AppEnv>): Owner => ({
  merchantId: c.var.apiKey!.merchantId,
  livemode: c.var.apiKey!.livemode,
});

/** A draw in [0, 1) from the platform's CSPRNG, for a dry run that did not fix its own. */
const randomDraw = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

/**
 * The merchant's routing rules, per mode: read, replace (versioned, audited), and a dry run that
 * decides a hypothetical payment with the stored rules and current health. Mounted at `/v1/routing`.
 */
export function routingRoutes(options: { health?: HealthSnapshotProvider } = {}) {
  const health = options.health ?? (async () => ALL_HEALTHY);
  return new Hono<AppEnv>()
    .use(secretKeyAuth())
    .get("/", async (c) => {
      const owner = ownerOf(c);
      return c.json(routingView(owner, await findRouting(await c.var.db(), owner)));
    })
    .put("/", async (c) => {
      const { expected_version: expected, ...config } = await readJsonBody(c, putRoutingSchema);
      const owner = ownerOf(c);
      const result = await saveRouting(await c.var.db(), owner, config satisfies RoutingConfig, expected);
      if ("conflict" in result) {
        throw new ApiError("version_conflict", {
          param: "expected_version",
          message: `The routing configuration is at version ${result.conflict.version}, not ${expected}; read it again and retry.`,
        });
      }
      const { saved } = result;
      forgetRouting(owner); // this isolate's next payment routes by the new rules at once
      await recordAudit(c, "routing.updated", owner.merchantId, {
        livemode: owner.livemode,
        previous_version: saved.version - 1,
        version: saved.version,
        rules: saved.config.rules.length,
      });
      return c.json(routingView(owner, saved));
    })
    .post("/simulate", async (c) => {
      const body = await readJsonBody(c, simulateRoutingSchema);
      const owner = ownerOf(c);
      const db = await c.var.db();
      const [stored, merchant, snapshot] = await Promise.all([
        findRouting(db, owner),
        findMerchant(db, owner.merchantId),
        health(c, owner.livemode),
      ]);
      if (!merchant) throw new ApiError("resource_missing");
      const draws = { draw: body.draw ?? randomDraw(), hedgeDraw: body.hedge_draw ?? randomDraw() };
      const decision = decide(
        stored.config,
        {
          method: "card",
          brand: body.brand,
          amount: body.amount,
          currency: body.currency,
          issuerCountry: body.issuer_country ?? null,
          merchantCountry: merchant.country,
          metadata: body.metadata ?? {},
        },
        { health: snapshot, now: Date.now(), ...draws, reachable: processorsInMode(c.env, owner.livemode) },
      );
      return c.json(decisionView(owner, stored.version, decision, draws));
    });
}
