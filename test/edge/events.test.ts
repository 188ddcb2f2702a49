import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

const RECEIVER = "http://127.0.0.1:9/hooks";

/** A transition that happens now (after the endpoints below exist), as the orchestrator sends it. */
function now(merchant: string, payment: string, version: number, status: string, old: string | null) {
  const message = transition(merchant, payment, version, status, old);
  const at = new Date(Date.now() + version).toISOString();
  return {
    ...message,
    payment: { ...message.payment, updated_at: at },
    event: { ...message.event, created_at: at },
    refunds: message.refunds.map((refund) => ({ ...refund, created_at: at, updated_at: at })),
  };
}

async function endpoint(secretKey: string, enabled_events: string[]) {
  const created = await call("POST", "/v1/webhook_endpoints", {
    key: secretKey,
    body: { url: RECEIVER, enabled_events },
  });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

describe("events", () => {
  it("are made once per transition, whatever the redelivery, with deliveries only where subscribed", async () => {
    const { id: merchant, secretKey } = await newMerchant();
    const some = await endpoint(secretKey, ["payment.captured", "refund.processed"]);
    const all = await endpoint(secretKey, ["*"]);
    const off = await endpoint(secretKey, ["payment.captured"]);
    await call("POST", `/v1/webhook_endpoints/${off}`, { key: secretKey, body: { disabled: true } });

    const pay = `pay_events_${Date.now()}`;
    const steps = [
      now(merchant, pay, 2, "authorized", "processing"),
      now(merchant, pay, 3, "captured", "authorized"),
      now(merchant, pay, 4, "partially_refunded", "captured"),
    ];
    await deliver(steps);
    await deliver([steps[2]!, steps[0]!, steps[1]!]); // again, out of order

    const events = await sql<{ id: string; type: string; object_id: string }>(
      "select id, type, object_id from events where merchant_id = $1 order by created_at, type",
      [merchant],
    );
    expect(events.map((event) => event.type)).toEqual([
      "payment.authorized",
      "payment.captured",
      "payment.partially_refunded",
      "refund.processed",
    ]);
    expect(events.at(-1)?.object_id).toBe(`re_${pay}`);

    const deliveries = await sql<{ endpoint_id: string; type: string }>(
      `select d.endpoint_id, e.type from webhook_deliveries d join events e on e.id = d.event_id
       where d.merchant_id = $1 order by e.type`,
      [merchant],
    );
    const to = (id: string) => deliveries.filter((row) => row.endpoint_id === id).map((row) => row.type);
    expect(to(some)).toEqual(["payment.captured", "refund.processed"]);
    expect(to(all)).toEqual([
      "payment.authorized",
      "payment.captured",
      "payment.partially_refunded",
      "refund.processed",
    ]);
    expect(to(off)).toEqual([]);

    const listed = await call("GET", "/v1/events?type=payment.captured", { key: secretKey });
    expect(listed.json.data).toHaveLength(1);
    expect(listed.json.data[0]).toMatchObject({
      object: "event",
      type: "payment.captured",
      livemode: false,
      data: { object: { id: pay, object: "payment", status: "captured", amount_captured: 1_000, version: 3 } },
    });
    const one = await call("GET", `/v1/events/${listed.json.data[0].id}`, { key: secretKey });
    expect(one.json).toEqual(listed.json.data[0]);
    const refund = await call("GET", `/v1/events?type=refund.processed`, { key: secretKey });
    expect(refund.json.data[0].data.object).toMatchObject({ object: "refund", payment: pay, amount: 400 });
  });

  it("are a merchant's own: another merchant's event is not found, nor resent", async () => {
    const owner = await newMerchant();
    const other = await newMerchant();
    await deliver([now(owner.id, `pay_tenancy_${Date.now()}`, 2, "authorized", "processing")]);
    const [event] = await sql<{ id: string }>("select id from events where merchant_id = $1", [owner.id]);
    expectError(
      await call("GET", `/v1/events/${event!.id}`, { key: other.secretKey }),
      404,
      "invalid_request_error",
      "id",
    );
    expectError(
      await call("POST", `/v1/events/${event!.id}/resend`, { key: other.secretKey, body: {} }),
      404,
      "invalid_request_error",
      "id",
    );
    expect((await call("GET", "/v1/events", { key: other.secretKey })).json.data).toEqual([]);
    expectError(
      await call("GET", "/v1/events?type=payment.teleported", { key: owner.secretKey }),
      400,
      "invalid_request_error",
      "type",
    );
  });

  it("can be resent to one endpoint: its delivery is reopened, due now", async () => {
    const { id: merchant, secretKey } = await newMerchant();
    const later = await endpoint(secretKey, ["payment.voided"]);
    await deliver([now(merchant, `pay_resend_${Date.now()}`, 3, "captured", "authorized")]);
    const [event] = await sql<{ id: string }>("select id from events where merchant_id = $1", [merchant]);
    const resent = await call("POST", `/v1/events/${event!.id}/resend`, { key: secretKey, body: { endpoint: later } });
    expect(resent.status).toBe(200);
    expect(resent.json.deliveries).toHaveLength(1);
    const [delivery] = await sql<{ status: string; endpoint_id: string }>(
      "select status, endpoint_id from webhook_deliveries where id = $1",
      [resent.json.deliveries[0]],
    );
    expect(delivery).toEqual({ status: "pending", endpoint_id: later });
    expectError(
      await call("POST", `/v1/events/${event!.id}/resend`, { key: secretKey, body: { endpoint: "we_nope" } }),
      404,
      "invalid_request_error",
      "endpoint",
    );
  });
});
