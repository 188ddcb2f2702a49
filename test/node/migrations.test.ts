import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CURRENCY_MINOR_UNITS } from "../../common/currencies.js";
import { applyMigrations } from "../../db/migrate.js";
import { startTestPostgres, type TestPostgres } from "../support/test-postgres.js";

let database: TestPostgres;
let client: pg.Client;

beforeAll(async () => {
  database = await startTestPostgres({ migrate: false });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.stop();
});

const q = (text: string, values: unknown[] = []) => client.query(text, values);

/** Runs `text` and returns the Postgres error it raised (the test fails if it raised none). */
async function refused(text: string, values: unknown[] = []): Promise<pg.DatabaseError> {
  try {
    await q(text, values);
  } catch (error) {
    return error as pg.DatabaseError;
  }
  throw new Error(`expected Postgres to refuse: ${text}`);
}

async function seedMerchant(id: string) {
  await q(
    `insert into merchants (id, name, email, country, default_currency, settlement_config)
     values ($1, 'M', 'm@shop.example', 'US', 'USD', '{"schedule":"daily","delay_days":2,"currency":"USD","statement_descriptor":null}')`,
    [id],
  );
}

async function seedPayment(id: string, merchantId: string, fields: Record<string, unknown> = {}) {
  const row = {
    id,
    merchant_id: merchantId,
    livemode: false,
    amount: 1000,
    currency: "USD",
    status: "created",
    capture_method: "manual",
    payment_method_type: "card",
    ...fields,
  };
  const columns = Object.keys(row);
  await q(
    `insert into payments (${columns.join(", ")}) values (${columns.map((_c, i) => `$${i + 1}`).join(", ")})`,
    Object.values(row),
  );
}

describe("migrations", () => {
  it("apply to an empty database and create every table of the seed and the issues", async () => {
    await applyMigrations(database.url);
    const { rows } = await q("select table_name from information_schema.tables where table_schema = 'public'");
    expect(rows.map((row) => row.table_name).sort()).toEqual(
      [
        "api_key_ips",
        "api_keys",
        "balance_transactions",
        "card_tokens",
        "currencies",
        "dashboard_users",
        "disputes",
        "edge_token_jtis",
        "events",
        "merchants",
        "network_operations",
        "ops_clients",
        "payment_attempts",
        "payment_events",
        "payments",
        "reconciliation_items",
        "reconciliation_runs",
        "refunds",
        "reports",
        "request_logs",
        "routing_configs",
        "settlements",
        "vault_card_access_log",
        "vault_cards",
        "webhook_deliveries",
        "webhook_delivery_attempts",
        "webhook_endpoints",
      ].sort(),
    );
    const columns = async (table: string) =>
      (await q("select column_name from information_schema.columns where table_name = $1", [table])).rows.map(
        (row) => row.column_name,
      );
    expect(await columns("payments")).toEqual(
      expect.arrayContaining([
        "id",
        "idempotency_key",
        "merchant_id",
        "amount",
        "currency",
        "status",
        "payment_method_type",
        "card_token",
        "processor_response",
        "created_at",
        "updated_at",
        "version",
      ]),
    );
    expect(await columns("payment_events")).toEqual(
      expect.arrayContaining(["id", "payment_id", "event_type", "old_status", "new_status", "metadata", "created_at"]),
    );
    expect(await columns("refunds")).toEqual(
      expect.arrayContaining(["id", "payment_id", "amount", "status", "reason", "created_at"]),
    );
    expect(await columns("card_tokens")).toEqual(
      expect.arrayContaining([
        "token",
        "customer_id",
        "last_four",
        "brand",
        "exp_month",
        "exp_year",
        "vault_reference",
      ]),
    );
    expect(await columns("merchants")).toEqual(expect.arrayContaining(["id", "name", "email", "settlement_config"]));
  });

  it("re-apply as a no-op", async () => {
    const before = (await q("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0].n;
    await applyMigrations(database.url);
    await applyMigrations(database.url);
    const after = (await q("select count(*)::int as n from drizzle.__drizzle_migrations")).rows[0].n;
    expect(after).toBe(before);
    expect(before).toBeGreaterThanOrEqual(2);
  });

  it("load the same ISO 4217 list the edge validates against", async () => {
    const { rows } = await q("select code, minor_unit from currencies order by code");
    expect(Object.fromEntries(rows.map((row) => [row.code, row.minor_unit]))).toEqual(
      Object.fromEntries([...CURRENCY_MINOR_UNITS].sort(([a], [b]) => a.localeCompare(b))),
    );
    expect(CURRENCY_MINOR_UNITS.get("JPY")).toBe(0);
    expect(CURRENCY_MINOR_UNITS.get("KWD")).toBe(3);
  });
});

describe("money constraints", () => {
  beforeAll(async () => {
    await seedMerchant("acct_money");
  });

  it("refuse a zero, negative or fractional amount", async () => {
    expect(
      (
        await refused(
          "insert into payments (id, merchant_id, livemode, amount, currency, status, capture_method, payment_method_type) values ('pay_0', 'acct_money', false, 0, 'USD', 'created', 'manual', 'card')",
        )
      ).code,
    ).toBe("23514");
    expect(
      (
        await refused(
          "insert into payments (id, merchant_id, livemode, amount, currency, status, capture_method, payment_method_type) values ('pay_n', 'acct_money', false, -5, 'USD', 'created', 'manual', 'card')",
        )
      ).code,
    ).toBe("23514");
    expect(
      (
        await refused(
          "insert into payments (id, merchant_id, livemode, amount, currency, status, capture_method, payment_method_type) values ('pay_f', 'acct_money', false, $1, 'USD', 'created', 'manual', 'card')",
          ["10.5"],
        )
      ).code,
    ).toBe("22P02");
  });

  it("refuse a currency that is not an ISO 4217 code", async () => {
    for (const currency of ["usd", "XXY", "US"]) {
      const error = await refused(
        "insert into payments (id, merchant_id, livemode, amount, currency, status, capture_method, payment_method_type) values ($1, 'acct_money', false, 100, $2, 'created', 'manual', 'card')",
        [`pay_${currency}`, currency],
      );
      expect(["23514", "23503"]).toContain(error.code);
    }
  });

  it("refuse captured above authorized and refunded above captured", async () => {
    await seedPayment("pay_caps", "acct_money", { status: "captured", amount_captured: 1000 });
    expect((await refused("update payments set amount_captured = 1001 where id = 'pay_caps'")).constraint).toBe(
      "payments_captured_le_amount",
    );
    expect((await refused("update payments set amount_refunded = 1001 where id = 'pay_caps'")).constraint).toBe(
      "payments_refunded_le_captured",
    );
    await q("update payments set amount_refunded = 1000, status = 'refunded' where id = 'pay_caps'");
    expect(
      (
        await refused(
          "insert into refunds (id, payment_id, merchant_id, livemode, amount, currency, status) values ('re_0', 'pay_caps', 'acct_money', false, 0, 'USD', 'pending')",
        )
      ).constraint,
    ).toBe("refunds_amount_positive");
  });

  it("refuse changing a payment's currency or merchant after creation", async () => {
    await seedMerchant("acct_other");
    await seedPayment("pay_fixed", "acct_money");
    expect((await refused("update payments set currency = 'EUR' where id = 'pay_fixed'")).message).toMatch(
      /fixed at creation/,
    );
    expect((await refused("update payments set merchant_id = 'acct_other' where id = 'pay_fixed'")).message).toMatch(
      /fixed at creation/,
    );
  });

  it("scope idempotency keys per merchant", async () => {
    await seedPayment("pay_k1", "acct_money", { idempotency_key: "order-1" });
    await seedPayment("pay_k2", "acct_other", { idempotency_key: "order-1" });
    expect(
      (
        await refused(
          "insert into payments (id, merchant_id, livemode, amount, currency, status, capture_method, payment_method_type, idempotency_key) values ('pay_k3', 'acct_money', false, 1, 'USD', 'created', 'manual', 'card', 'order-1')",
        )
      ).code,
    ).toBe("23505");
  });
});

describe("payments paid by UPI (issue 14)", () => {
  it("keep their UPI details and next action, take the two UPI statuses, and refuse any other", async () => {
    await seedMerchant("acct_upi");
    const upi = {
      flow: "collect",
      vpa: "success@upi",
      payee_vpa: "shop@upi",
      txn_id: `GWY${"0".repeat(32)}`,
      rrn: null,
      expires_at: "2026-11-25T12:30:00.000Z",
    };
    const action = { type: "upi_collect", upi_collect: { vpa: "success@upi", expires_at: upi.expires_at } };
    await seedPayment("pay_upi", "acct_upi", {
      currency: "INR",
      status: "requires_action",
      capture_method: "automatic",
      payment_method_type: "upi",
      upi: JSON.stringify(upi),
      next_action: JSON.stringify(action),
    });
    expect((await q("select upi, next_action from payments where id = 'pay_upi'")).rows).toEqual([
      { upi, next_action: action },
    ]);
    await q("update payments set status = 'expired', next_action = null where id = 'pay_upi'");
    expect((await refused("update payments set status = 'lapsed' where id = 'pay_upi'")).constraint).toBe(
      "payments_status",
    );
  });
});

describe("network_operations (the vault's operation journal)", () => {
  const insert = (columns: Record<string, unknown>) => {
    const names = Object.keys(columns);
    return refused(
      `insert into network_operations (${names.join(", ")}) values (${names.map((_n, i) => `$${i + 1}`).join(", ")})`,
      Object.values(columns),
    );
  };
  const intent = {
    id: "op_journal_test_1",
    payment_id: "pay_j",
    livemode: false,
    kind: "authorization",
    processor: "visa",
    amount: 100,
    currency: "USD",
    processor_reference: "612312000001-0100-000001-1201120000",
    deadline: new Date(),
    next_attempt_at: new Date(),
  };

  it("holds an operation only in a known state, with what it is to send, and an unknown one owing its resolution", async () => {
    expect((await insert({ ...intent, state: "maybe", outcome: {} })).constraint).toBe("network_operations_state");
    expect((await insert({ ...intent, kind: null, state: "recorded" })).constraint).toBe("network_operations_complete");
    expect((await insert({ ...intent, kind: "completion", state: "recorded" })).constraint).toBe(
      "network_operations_follow_up_original",
    );
    expect((await insert({ ...intent, state: "unknown", outcome: { outcome: "unknown" } })).constraint).toBe(
      "network_operations_unknown_owes",
    );
    expect((await insert({ ...intent, state: "approved" })).constraint).toBe("network_operations_definite_answer");
    // A tombstone (an id fenced before it arrived) needs no more than its id and answer.
    await q(
      "insert into network_operations (id, state, outcome, deadline) values ('op_tombstone_1', 'not_sent', '{}', now())",
    );
  });

  it("holds each retrieval reference once per network, and only as the message's own", async () => {
    const accepted = (columns: Record<string, unknown>) => {
      const names = Object.keys(columns);
      return q(
        `insert into network_operations (${names.join(", ")}) values (${names.map((_n, i) => `$${i + 1}`).join(", ")})`,
        Object.values(columns),
      );
    };
    const row = { ...intent, id: "op_rrn_test_1", state: "recorded", rrn: "612312000001" };
    await accepted(row);
    const again = await insert({ ...row, id: "op_rrn_test_2", kind: "refund", original_reference: "x" });
    expect(again.code).toBe("23505");
    expect(again.constraint).toBe("network_operations_rrn");
    // Another network's terminal books its own RRNs.
    await accepted({ ...row, id: "op_rrn_test_3", processor: "mastercard" });
    expect((await insert({ ...row, id: "op_rrn_test_4", rrn: "612312000009" })).constraint).toBe(
      "network_operations_rrn_own",
    );
    // A completion carries its authorization's RRN and claims none.
    const completion = { ...row, id: "op_rrn_test_5", kind: "completion", original_reference: row.processor_reference };
    expect((await insert(completion)).constraint).toBe("network_operations_rrn_own");
    await accepted({ ...completion, rrn: null });
  });
});

describe("payment_events", () => {
  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    await seedPayment("pay_log", "acct_money");
    await q(
      "insert into payment_events (payment_id, sequence, event_type, old_status, new_status) values ('pay_log', 1, 'payment.processing', 'created', 'processing')",
    );
    expect(
      (await refused("update payment_events set new_status = 'captured' where payment_id = 'pay_log'")).message,
    ).toMatch(/append-only/);
    expect((await refused("delete from payment_events where payment_id = 'pay_log'")).message).toMatch(/append-only/);
    expect((await refused("truncate payment_events cascade")).message).toMatch(/append-only/);
    await q(
      `insert into events (id, merchant_id, livemode, type, object_id, object_version, data)
       values ('evt_1', 'acct_money', false, 'payment.created', 'pay_log', 1, '{}')`,
    );
    expect((await refused("update events set type = 'payment.failed' where id = 'evt_1'")).message).toMatch(
      /append-only/,
    );
    expect(
      (
        await refused(
          "insert into payment_events (payment_id, sequence, event_type, old_status, new_status) values ('pay_log', 1, 'payment.processing', 'created', 'processing')",
        )
      ).code,
    ).toBe("23505");
    const { rows } = await q("select count(*)::int as n from payment_events where payment_id = 'pay_log'");
    expect(rows[0].n).toBe(1);
  });
});
