import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PaymentEventMessage, ProjectedNextAction, ProjectedUpi } from "../../common/payment-event-message.js";
import { paymentView } from "../../durable-objects/payment/payment-view.js";
import { Event } from "../../workers/events/events.openapi.js";
import { Payment } from "../../workers/payments/payments.openapi.js";
import { call, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

describe("payment-events consumer: the Postgres projection", () => {
  it("projects each transition once, whatever the order and however often it is delivered", async () => {
    const { id: merchant } = await newMerchant();
    const pay = `pay_proj_${Date.now()}`;
    const steps = [
      transition(merchant, pay, 1, "processing", "created"),
      transition(merchant, pay, 2, "authorized", "processing"),
      transition(merchant, pay, 3, "captured", "authorized"),
      transition(merchant, pay, 4, "partially_refunded", "captured"),
    ];
    // Out of order, then everything again.
    const first = await deliver([steps[2]!, steps[0]!, steps[3]!, steps[1]!]);
    expect(first.ackAll).toBe(true); // one transaction for the batch
    await deliver(steps);

    const [payment] = await sql<Record<string, unknown>>(
      "select status, version, amount_captured, amount_refunded from payments where id = $1",
      [pay],
    );
    expect(payment).toEqual({
      status: "partially_refunded",
      version: 4,
      amount_captured: "1000",
      amount_refunded: "400",
    });
    const events = await sql<{ sequence: number; new_status: string }>(
      "select sequence, new_status from payment_events where payment_id = $1 order by sequence",
      [pay],
    );
    expect(events.map((event) => `${event.sequence}:${event.new_status}`)).toEqual([
      "1:processing",
      "2:authorized",
      "3:captured",
      "4:partially_refunded",
    ]);
    const refunds = await sql<{ amount: string; status: string }>(
      "select amount, status from refunds where payment_id = $1",
      [pay],
    );
    expect(refunds).toEqual([{ amount: "400", status: "succeeded" }]);
  });

  it("never moves a payment backwards when an older version arrives late", async () => {
    const { id: merchant } = await newMerchant();
    const pay = `pay_late_${Date.now()}`;
    await deliver([transition(merchant, pay, 3, "captured", "authorized")]);
    await deliver([transition(merchant, pay, 2, "authorized", "processing")]);
    const [payment] = await sql<{ status: string; version: number }>(
      "select status, version from payments where id = $1",
      [pay],
    );
    expect(payment).toEqual({ status: "captured", version: 3 });
  });

  it("retries, without acknowledging, while Postgres is unreachable", async () => {
    const { id: merchant } = await newMerchant();
    const pay = `pay_down_${Date.now()}`;
    const down = {
      ...env,
      HYPERDRIVE: { ...env.HYPERDRIVE, connectionString: "postgres://nobody:x@127.0.0.1:1/none" },
    };
    const { vi } = await import("vitest");
    const quiet = vi.spyOn(console, "warn").mockImplementation(() => {});
    const result = await deliver([transition(merchant, pay, 1, "processing", "created")], down as Env);
    quiet.mockRestore();
    expect(result.explicitAcks).toEqual([]);
    expect(result.ackAll).toBe(false);
    expect(result.retryMessages.length).toBe(1);
    expect(await sql("select 1 from payments where id = $1", [pay])).toEqual([]);
  });

  it("falls back to one message at a time when the batch fails: the good ones land, the bad one is retried", async () => {
    const { id: merchant } = await newMerchant();
    const good = `pay_good_${Date.now()}`;
    const orphan = `pay_orphan_${Date.now()}`;
    const { vi } = await import("vitest");
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await deliver([
      transition(merchant, good, 1, "processing", "created"),
      transition("acct_NoSuchMerchant0000000000", orphan, 1, "processing", "created"), // fails its foreign key
      transition(merchant, good, 2, "authorized", "processing"),
    ]);
    quiet.mockRestore();
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toHaveLength(2);
    expect(result.retryMessages).toHaveLength(1);
    expect(await sql("select status, version from payments where id = $1", [good])).toEqual([
      { status: "authorized", version: 2 },
    ]);
    expect(await sql("select 1 from payments where id = $1", [orphan])).toEqual([]);
  });
});

describe("payment-events consumer: the worst cases the payment objects can produce (issue 11)", () => {
  /** A refund in `status` at `version`, with the merchant's key, riding on a payment message. */
  function withRefund(
    message: ReturnType<typeof transition>,
    refund: { id: string; key: string; status: "pending" | "succeeded" | "failed"; version: number },
    eventType?: string,
  ) {
    return {
      ...message,
      event: { ...message.event, ...(eventType ? { event_type: eventType, old_status: message.payment.status } : {}) },
      refunds: [
        {
          id: refund.id,
          payment_id: message.payment.id,
          merchant_id: message.payment.merchant_id,
          idempotency_key: refund.key,
          amount: 400,
          currency: "USD",
          status: refund.status,
          reason: null,
          failure_code: refund.status === "failed" ? "processing_error" : null,
          version: refund.version,
          created_at: message.event.created_at,
          updated_at: message.event.created_at,
        },
      ],
    };
  }

  it("accepts one refund Idempotency-Key on two payments, as the objects scope it (per payment)", async () => {
    const { id: merchant } = await newMerchant();
    const [a, b] = [`pay_keyA_${Date.now()}`, `pay_keyB_${Date.now()}`];
    const result = await deliver([
      withRefund(transition(merchant, a, 4, "partially_refunded", "captured"), {
        id: `re_a${Date.now()}`,
        key: "same-refund-key",
        status: "succeeded",
        version: 1,
      }),
      withRefund(transition(merchant, b, 4, "partially_refunded", "captured"), {
        id: `re_b${Date.now()}`,
        key: "same-refund-key",
        status: "succeeded",
        version: 1,
      }),
    ]);
    expect(result.ackAll).toBe(true);
    expect(result.retryMessages).toEqual([]);
    const rows = await sql<{ payment_id: string }>(
      "select payment_id from refunds where idempotency_key = 'same-refund-key' and payment_id = any($1) order by payment_id",
      [[a, b]],
    );
    expect(rows.map((row) => row.payment_id)).toEqual([a, b]);
  });

  it("projects a pending refund that later fails, in any order, with one refund.failed event and no payment event", async () => {
    const { id: merchant } = await newMerchant();
    const pay = `pay_pendfail_${Date.now()}`;
    const refundId = `re_pf${Date.now()}`;
    const captured = transition(merchant, pay, 3, "captured", "authorized");
    const pending = withRefund(
      { ...captured, payment: { ...captured.payment, version: 4 }, event: { ...captured.event, sequence: 4 } },
      { id: refundId, key: "k1", status: "pending", version: 1 },
      "refund.pending",
    );
    const failed = withRefund(
      { ...captured, payment: { ...captured.payment, version: 5 }, event: { ...captured.event, sequence: 5 } },
      { id: refundId, key: "k1", status: "failed", version: 2 },
      "refund.failed",
    );
    await deliver([failed, captured]);
    await deliver([pending, failed, pending]);
    expect(await sql("select status, version from refunds where id = $1", [refundId])).toEqual([
      { status: "failed", version: 2 },
    ]);
    expect(await sql("select status, version from payments where id = $1", [pay])).toEqual([
      { status: "captured", version: 5 },
    ]);
    const events = await sql<{ type: string }>("select type from events where object_id in ($1, $2) order by type", [
      pay,
      refundId,
    ]);
    expect(events.map((event) => event.type)).toEqual(["payment.captured", "refund.failed"]);
  });
});

describe("payment-events consumer: UPI payments (issue 14)", () => {
  const hex = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

  /**
   * A UPI payment's message as the object sends it: INR, the switch as processor, no card, and
   * its UPI details and next action; stamped now, so endpoints made before it get its webhooks.
   */
  function upiMessage(
    merchant: string,
    pay: string,
    step: [version: number, status: string, old: string],
    upi: ProjectedUpi,
    nextAction: ProjectedNextAction | null,
  ): PaymentEventMessage {
    const [version, status, old] = step;
    const message = transition(merchant, pay, version, status, old);
    const at = new Date(Date.now() + version).toISOString();
    return {
      ...message,
      payment: {
        ...message.payment,
        currency: "INR",
        capture_method: "automatic",
        payment_method_type: "upi",
        card_token: null,
        processor: "upi_switch",
        processor_reference: upi.rrn,
        upi,
        next_action: nextAction,
        updated_at: at,
      },
      event: { ...message.event, created_at: at },
    };
  }

  async function listed(secretKey: string, status: string) {
    const page = await call("GET", `/v1/payments?status=${status}`, { key: secretKey });
    expect(page.status).toBe(200);
    return page.json.data as Record<string, any>[];
  }

  it("projects a collect waiting for the payer, then paid, and lists it as the payment object shows it", async () => {
    const { id: merchant, secretKey } = await newMerchant();
    const subscribed = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["payment.requires_action"] },
    });
    expect(subscribed.status).toBe(201);
    const pay = `pay_${hex()}`;
    const expiresAt = "2026-11-25T12:30:00.000Z";
    const upi: ProjectedUpi = {
      flow: "collect",
      vpa: "success@upi",
      payee_vpa: "shop@upi",
      payee_name: "Shop",
      txn_id: `GWY${"a1B2".repeat(8)}`,
      rrn: null,
      expires_at: expiresAt,
    };
    const waiting = upiMessage(merchant, pay, [2, "requires_action", "processing"], upi, {
      type: "upi_collect",
      upi_collect: { vpa: "success@upi", expires_at: expiresAt },
    });
    await deliver([waiting]);

    const [shown] = await listed(secretKey, "requires_action");
    // The list (from Postgres) and the object (and its events) show a payment alike.
    expect(shown).toEqual(paymentView(waiting.payment, []));
    expect(shown).toMatchObject({
      status: "requires_action",
      currency: "inr",
      payment_method: {
        type: "upi",
        upi: {
          flow: "collect",
          vpa: "success@upi",
          payee_vpa: "shop@upi",
          transaction_id: upi.txn_id,
          rrn: null,
          expires_at: seconds(expiresAt),
        },
      },
      next_action: { type: "upi_collect", upi_collect: { vpa: "success@upi", expires_at: seconds(expiresAt) } },
    });
    Payment.parse(shown); // the OpenAPI document describes it (strict: no field more or less)

    const events = await call("GET", "/v1/events?type=payment.requires_action", { key: secretKey });
    expect(events.json.data).toHaveLength(1);
    Event.parse(events.json.data[0]);
    expect(events.json.data[0].data.object).toEqual(shown);
    const deliveries = await sql<{ endpoint_id: string }>(
      "select d.endpoint_id from webhook_deliveries d join events e on e.id = d.event_id where e.object_id = $1",
      [pay],
    );
    expect(deliveries).toEqual([{ endpoint_id: subscribed.json.id }]);

    const paid = upiMessage(merchant, pay, [3, "captured", "requires_action"], { ...upi, rrn: "612345678901" }, null);
    await deliver([paid, waiting]); // the older one again changes nothing
    expect(await listed(secretKey, "requires_action")).toEqual([]);
    const [captured] = await listed(secretKey, "captured");
    expect(captured).toEqual(paymentView(paid.payment, []));
    expect(captured).toMatchObject({ amount_captured: 1_000, next_action: null, version: 3 });
    expect(captured!.payment_method.upi).toMatchObject({ rrn: "612345678901" });
    Payment.parse(captured);
    expect(
      await sql("select status, processor_reference, upi->>'rrn' as rrn, next_action from payments where id = $1", [
        pay,
      ]),
    ).toEqual([{ status: "captured", processor_reference: "612345678901", rrn: "612345678901", next_action: null }]);
  });

  it("projects an intent with its QR code, and its lapse as payment.expired", async () => {
    const { id: merchant, secretKey } = await newMerchant();
    const subscribed = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["payment.expired"] },
    });
    expect(subscribed.status).toBe(201);
    const pay = `pay_${hex()}`;
    const expiresAt = "2026-11-25T12:15:00.000Z";
    const txn = `GWY${"Z9y8".repeat(8)}`;
    const url = `upi://pay?pa=shop%40upi&pn=Shop&tr=${txn}&am=10.00&cu=INR`;
    const upi: ProjectedUpi = {
      flow: "intent",
      vpa: null,
      payee_vpa: "shop@upi",
      payee_name: "Shop",
      txn_id: txn,
      rrn: null,
      expires_at: expiresAt,
    };
    const waiting = upiMessage(merchant, pay, [2, "requires_action", "processing"], upi, {
      type: "upi_intent",
      upi_intent: { url, expires_at: expiresAt },
    });
    const lapsed = upiMessage(merchant, pay, [3, "expired", "requires_action"], upi, null);
    await deliver([lapsed, waiting]); // out of order: the lapse stands

    const [shown] = await listed(secretKey, "expired");
    expect(shown).toEqual(paymentView(lapsed.payment, []));
    expect(shown).toMatchObject({
      status: "expired",
      next_action: null,
      payment_method: { upi: { flow: "intent", vpa: null } },
    });
    Payment.parse(shown);
    const types = await sql<{ type: string; data: { next_action: { upi_intent: Record<string, any> } | null } }>(
      "select type, data from events where object_id = $1 order by object_version",
      [pay],
    );
    expect(types.map((event) => event.type)).toEqual(["payment.requires_action", "payment.expired"]);
    // The waiting payment's event carries the intent as the object shows it: link, QR code, expiry.
    const intent = types[0]!.data.next_action!.upi_intent;
    expect(intent).toMatchObject({ url, qr_code: { data: url }, expires_at: seconds(expiresAt) });
    expect(intent.qr_code.image_url_svg).toMatch(/^data:image\/svg\+xml;base64,/);
    Payment.parse(types[0]!.data);
    const deliveries = await sql<{ type: string }>(
      "select e.type from webhook_deliveries d join events e on e.id = d.event_id where e.object_id = $1",
      [pay],
    );
    expect(deliveries).toEqual([{ type: "payment.expired" }]);
  });
});
