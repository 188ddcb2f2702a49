import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant, opsToken } from "./support/api.js";
import { sql } from "./support/database.js";
import { deliver, transition } from "./support/projection.js";

const OLD = "2026-11-01";
const LATEST = "2026-11-25";

let paymentSerial = 0;

/** A captured payment with a customer, projected into Postgres (and its events recorded). */
async function projectedPayment(merchantId: string) {
  paymentSerial += 1;
  const id = `pay_${paymentSerial.toString(16).padStart(8, "0")}${"a".repeat(56)}`;
  const messages = [
    transition(merchantId, id, 1, "authorized", "created"),
    transition(merchantId, id, 2, "captured", "authorized"),
  ];
  for (const message of messages) (message.payment as { customer_id: string | null }).customer_id = "cus_42";
  const result = await deliver(messages);
  expect(result.explicitAcks.length + result.retryMessages.length).toBeGreaterThanOrEqual(0);
  return id;
}

describe("API versions", () => {
  it("starts a new merchant on the latest version and answers in its shape", async () => {
    const { id, secretKey, merchant } = await newMerchant();
    expect(merchant.api_version).toBe(LATEST);
    await projectedPayment(id);
    const list = await call("GET", "/v1/payments", { key: secretKey });
    expect(list.status).toBe(200);
    expect(list.headers.get("Api-Version")).toBe(LATEST);
    expect(list.json.data[0]).toMatchObject({ object: "payment", customer: "cus_42" });
    expect(list.json.data[0]).not.toHaveProperty("customer_id");
  });

  it("gives a request with an old Api-Version the old shape, in lists and inside events", async () => {
    const { id, secretKey } = await newMerchant();
    await projectedPayment(id);
    const headers = { "Api-Version": OLD };
    const list = await call("GET", "/v1/payments", { key: secretKey, headers });
    expect(list.headers.get("Api-Version")).toBe(OLD);
    const payment = list.json.data[0];
    expect(payment).toMatchObject({ object: "payment", customer_id: "cus_42" });
    expect(payment).not.toHaveProperty("customer");
    // Field order is kept: the renamed field sits where it always did.
    expect(Object.keys(payment).indexOf("customer_id")).toBe(Object.keys(payment).indexOf("decline_code") + 1);

    const events = await call("GET", "/v1/events?type=payment.captured", { key: secretKey, headers });
    expect(events.json.data[0].data.object).toMatchObject({ object: "payment", customer_id: "cus_42" });
    expect(events.json.data[0].data.object).not.toHaveProperty("customer");
  });

  it("uses the merchant's default version when the header is absent, and the header over it", async () => {
    const { id, secretKey, merchant } = await newMerchant({ api_version: OLD });
    expect(merchant.api_version).toBe(OLD);
    await projectedPayment(id);
    const byDefault = await call("GET", "/v1/payments", { key: secretKey });
    expect(byDefault.headers.get("Api-Version")).toBe(OLD);
    expect(byDefault.json.data[0].customer_id).toBe("cus_42");
    const pinned = await call("GET", "/v1/payments", { key: secretKey, headers: { "Api-Version": LATEST } });
    expect(pinned.json.data[0].customer).toBe("cus_42");
    expect(pinned.json.data[0]).not.toHaveProperty("customer_id");
  });

  it("lets a merchant move its default version (PATCH /v1/merchant), effective at once", async () => {
    const { id, secretKey } = await newMerchant({ api_version: OLD });
    await projectedPayment(id);
    expect((await call("GET", "/v1/payments", { key: secretKey })).json.data[0]).toHaveProperty("customer_id");
    const moved = await call("PATCH", "/v1/merchant", { key: secretKey, body: { api_version: LATEST } });
    expect(moved.status).toBe(200);
    expect(moved.json.api_version).toBe(LATEST);
    const after = await call("GET", "/v1/payments", { key: secretKey });
    expect(after.json.data[0]).toHaveProperty("customer");
    const ops = await call("GET", `/v1/merchants/${id}`, { bearer: await opsToken() });
    expect(ops.json.api_version).toBe(LATEST);
  });

  it("upgrades an old request before validation, and names the parameter the client sent", async () => {
    const { secretKey } = await newMerchant();
    const body = {
      amount: 1_000,
      currency: "usd",
      payment_method: { type: "card", token: "tok_abc" },
      customer_id: "c".repeat(101),
    };
    // On the old version `customer_id` is the field: too long is invalid, and the error says customer_id.
    expectError(
      await call("POST", "/v1/payments", { key: secretKey, body, headers: { "Api-Version": OLD } }),
      400,
      "invalid_request_error",
      "customer_id",
    );
    // On the latest it is no longer a field at all.
    const latest = await call("POST", "/v1/payments", { key: secretKey, body: { ...body, customer_id: "cus_1" } });
    expectError(latest, 400, "invalid_request_error", "customer_id");
    expect(latest.json.error.code).toBe("parameter_unknown");
  });

  it("refuses the new name from an old client rather than guess which of two values it meant", async () => {
    const { secretKey } = await newMerchant();
    const body = {
      amount: 1_000,
      currency: "usd",
      payment_method: { type: "card", token: "tok_abc" },
      customer: "cus_new",
      customer_id: "cus_old",
    };
    const answer = await call("POST", "/v1/payments", { key: secretKey, body, headers: { "Api-Version": OLD } });
    expectError(answer, 400, "invalid_request_error", "customer");
    expect(answer.json.error.code).toBe("parameter_unknown");
    expect(answer.json.error.message).toContain("customer_id");
  });

  it("brings an event stored before the change to the latest shape, then to the caller's", async () => {
    const { id, secretKey } = await newMerchant();
    // As the projection wrote snapshots before 2026-11-25 (events are append-only: a new row).
    const snapshot = { id: `pay_${"c".repeat(64)}`, object: "payment", status: "captured", customer_id: "cus_42" };
    await sql(
      `insert into events (id, merchant_id, livemode, type, object_id, object_version, data)
       values ($1, $2, false, 'payment.captured', $3, 2, $4)`,
      [`evt_old${Date.now()}`, id, snapshot.id, JSON.stringify(snapshot)],
    );
    const latest = await call("GET", "/v1/events", { key: secretKey });
    expect(latest.json.data[0].data.object).toMatchObject({ customer: "cus_42" });
    expect(latest.json.data[0].data.object).not.toHaveProperty("customer_id");
    const old = await call("GET", "/v1/events", { key: secretKey, headers: { "Api-Version": OLD } });
    expect(old.json.data[0].data.object).toMatchObject({ customer_id: "cus_42" });
  });

  it("starts a webhook endpoint on the account's version, not on a one-off Api-Version header", async () => {
    const { secretKey } = await newMerchant();
    const body = { url: "https://shop.example/hooks", enabled_events: ["*"] };
    const made = await call("POST", "/v1/webhook_endpoints", { key: secretKey, body, headers: { "Api-Version": OLD } });
    expect(made.status).toBe(201);
    expect(made.json.api_version).toBe(LATEST);
    const pinned = await call("POST", "/v1/webhook_endpoints", { key: secretKey, body: { ...body, api_version: OLD } });
    expect(pinned.json.api_version).toBe(OLD);
  });

  it("refuses an unknown Api-Version, naming the header and the known versions", async () => {
    const { secretKey } = await newMerchant();
    const answer = await call("GET", "/v1/payments", { key: secretKey, headers: { "Api-Version": "2020-01-01" } });
    expectError(answer, 400, "invalid_request_error", "Api-Version");
    expect(answer.json.error.message).toContain(OLD);
    const badDefault = await call("PATCH", "/v1/merchant", { key: secretKey, body: { api_version: "2099-01-01" } });
    expectError(badDefault, 400, "invalid_request_error", "api_version");
  });
});
