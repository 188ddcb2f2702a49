import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";
import { secretKeyAuth } from "../middleware/secret-key-auth/index.js";
import { readQuery } from "../validation/request-body.js";
import { balanceTransactionView } from "./balance-transaction-view.js";
import { listBalanceTransactionsSchema, listSettlementsSchema } from "./settlement.schemas.js";
import { settlementView } from "./settlement-cut.js";
import { balanceOf, findSettlement, listBalanceTransactions, listSettlements } from "./settlements.repository.js";

const missing = (id: string) =>
  new ApiError("resource_missing", { param: "id", message: `No such settlement: '${id}'.` });

/**
 * The merchant's side of the money after authorization (issue 16 item 2), in the key's merchant and
 * mode only: settlements (Stripe's payouts) and their files, the balance, and the balance
 * transactions every capture, refund and dispute made.
 */
export const settlementRoutes = new Hono<AppEnv>()
  .use(secretKeyAuth())
  .get("/", async (c) => {
    const query = readQuery(c, listSettlementsSchema);
    const limit = query.limit ?? 10;
    const rows = await listSettlements(await c.var.db(), c.var.apiKey!, limit, query.starting_after);
    return c.json({
      object: "list",
      url: "/v1/settlements",
      has_more: rows.length > limit,
      data: rows.slice(0, limit).map(settlementView),
    });
  })
  .get("/:id", async (c) => {
    const row = await findSettlement(await c.var.db(), c.var.apiKey!, c.req.param("id"));
    if (!row) throw missing(c.req.param("id"));
    return c.json(settlementView(row));
  })
  .get("/:id/file", async (c) => {
    const row = await findSettlement(await c.var.db(), c.var.apiKey!, c.req.param("id"));
    if (!row) throw missing(c.req.param("id"));
    const file = await c.env.SETTLEMENTS_BUCKET.get(row.fileKey);
    if (!file) throw new ApiError("settlement_file_missing", { param: "id" });
    // Streamed from R2 as stored; its SHA-256 is the batch's `file.sha256`, to check it against.
    return new Response(file.body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${row.id}.csv"`,
        "Content-Length": String(file.size),
        "X-Content-SHA256": row.fileSha256,
      },
    });
  });

/** `GET /v1/balance`: pending (of which available) and paid, per currency. */
export const balanceRoutes = new Hono<AppEnv>().use(secretKeyAuth()).get("/", async (c) => {
  const owner = c.var.apiKey!;
  const today = new Date().toISOString().slice(0, 10);
  const balances = await balanceOf(await c.var.db(), owner, today);
  const amounts = (key: "pending" | "available" | "paid") =>
    balances.map((balance) => ({ currency: balance.currency, amount: balance[key] }));
  return c.json({
    object: "balance",
    livemode: owner.livemode,
    pending: amounts("pending"),
    available: amounts("available"),
    paid: amounts("paid"),
  });
});

/** `GET /v1/balance_transactions`: newest first, by settlement or type when asked. */
export const balanceTransactionRoutes = new Hono<AppEnv>().use(secretKeyAuth()).get("/", async (c) => {
  const query = readQuery(c, listBalanceTransactionsSchema);
  const limit = query.limit ?? 10;
  const rows = await listBalanceTransactions(await c.var.db(), c.var.apiKey!, limit, {
    ...(query.starting_after ? { startingAfter: query.starting_after } : {}),
    ...(query.settlement ? { settlement: query.settlement } : {}),
    ...(query.type ? { type: query.type } : {}),
  });
  return c.json({
    object: "list",
    url: "/v1/balance_transactions",
    has_more: rows.length > limit,
    data: rows.slice(0, limit).map(balanceTransactionView),
  });
});
