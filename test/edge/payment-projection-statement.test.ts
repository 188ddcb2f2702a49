import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect } from "../../workers/db/database.js";
import { applyPaymentEvents } from "../../workers/payments/payment-projection.repository.js";
import { call, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { transition } from "./support/projection.js";

/** A merchant with one endpoint subscribed to `payment.captured`, created before the transitions. */
async function subscribedMerchant() {
  const { id: merchant, secretKey } = await newMerchant();
  const endpoint = await call("POST", "/v1/webhook_endpoints", {
    key: secretKey,
    body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["payment.captured"] },
  });
  expect(endpoint.status).toBe(201);
  return merchant;
}

/** Transitions that happen now, after the endpoint (deliveries go to endpoints that existed then). */
function now(merchant: string, payment: string, version: number, status: string, old: string | null) {
  const message = transition(merchant, payment, version, status, old);
  const at = new Date(Date.now() + version).toISOString();
  return { ...message, payment: { ...message.payment, updated_at: at }, event: { ...message.event, created_at: at } };
}

describe("the projection's one statement per batch", () => {
  it("hands over each untried delivery once committed, again for a redelivered copy, never a tried one", async () => {
    const merchant = await subscribedMerchant();
    const pay = `pay_stmt_${Date.now()}`;
    const steps = [now(merchant, pay, 2, "authorized", "processing"), now(merchant, pay, 3, "captured", "authorized")];
    const connection = await connect(env);
    try {
      const first = await applyPaymentEvents(connection.db, steps);
      const rows = await sql<{ id: string }>("select id from webhook_deliveries where merchant_id = $1", [merchant]);
      expect(rows).toHaveLength(1); // payment.captured only: the endpoint is not subscribed to authorized
      expect(first).toEqual([{ delivery_id: rows[0]!.id, attempt: 0 }]);

      // A redelivered batch writes nothing new and hands the still-untried delivery over again.
      expect(await applyPaymentEvents(connection.db, [steps[1]!, steps[0]!])).toEqual(first);
      // Once tried, the delivery consumer owns it: a late copy of the batch does not queue it again.
      await sql("update webhook_deliveries set attempts = 1 where id = $1", [rows[0]!.id]);
      expect(await applyPaymentEvents(connection.db, steps)).toEqual([]);

      const counts = await sql<Record<string, number>>(
        `select (select count(*)::int from payment_events where payment_id = $1) as transitions,
                (select count(*)::int from events where object_id = $1) as events,
                (select count(*)::int from balance_transactions where payment_id = $1) as movements,
                (select count(*)::int from payment_attempts where payment_id = $1) as attempts`,
        [pay],
      );
      expect(counts[0]).toEqual({ transitions: 2, events: 2, movements: 1, attempts: 0 });
    } finally {
      await connection.close();
    }
  });

  it("carries a merchant's text as data: quotes, backslashes, SQL and unicode come back as sent", async () => {
    const merchant = await subscribedMerchant();
    const pay = `pay_stmt_text_${Date.now()}`;
    const hostile = `O'Brien \\ "quoted" '); drop table payments; -- ☃ 😀 ${"x".repeat(300)}`;
    const oddKey = `key'"\\`;
    const captured = now(merchant, pay, 3, "captured", "authorized");
    const message = {
      ...captured,
      payment: { ...captured.payment, description: hostile, metadata: { [oddKey]: hostile, nested: "$1::jsonb" } },
    };
    const connection = await connect(env);
    try {
      expect(await applyPaymentEvents(connection.db, [message])).toHaveLength(1);
    } finally {
      await connection.close();
    }
    const [row] = await sql<{ description: string; metadata: Record<string, string> }>(
      "select description, metadata from payments where id = $1",
      [pay],
    );
    expect(row).toEqual({ description: hostile, metadata: { [oddKey]: hostile, nested: "$1::jsonb" } });
  });

  it("writes all of a batch or none of it", async () => {
    const merchant = await subscribedMerchant();
    const pay = `pay_stmt_atomic_${Date.now()}`;
    const captured = now(merchant, pay, 3, "captured", "authorized");
    // The last write of the statement fails (a refund's currency breaks its table's check): the
    // payment, its transition, its money and its event, written by the parts before, must not stay.
    const broken = {
      ...captured,
      refunds: [
        {
          id: `re_${pay}`,
          payment_id: pay,
          merchant_id: merchant,
          idempotency_key: null,
          amount: 400,
          currency: "usd",
          status: "pending" as const,
          reason: null,
          failure_code: null,
          version: 1,
          created_at: captured.event.created_at,
          updated_at: captured.event.created_at,
        },
      ],
    };
    const connection = await connect(env);
    try {
      await expect(applyPaymentEvents(connection.db, [broken])).rejects.toThrow();
      const left = await sql<Record<string, number>>(
        `select (select count(*)::int from payments where id = $1) as payments,
                (select count(*)::int from payment_events where payment_id = $1) as transitions,
                (select count(*)::int from events where object_id = $1) as events,
                (select count(*)::int from balance_transactions where payment_id = $1) as movements,
                (select count(*)::int from webhook_deliveries where merchant_id = $2) as deliveries`,
        [pay, merchant],
      );
      expect(left[0]).toEqual({ payments: 0, transitions: 0, events: 0, movements: 0, deliveries: 0 });

      // The same batch whole is written whole.
      expect(await applyPaymentEvents(connection.db, [captured])).toHaveLength(1);
      const [row] = await sql<{ status: string }>("select status from payments where id = $1", [pay]);
      expect(row?.status).toBe("captured");
    } finally {
      await connection.close();
    }
  });
});
