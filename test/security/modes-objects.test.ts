import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index.js";
import { BASE, call, expectError, liveSecretKey, newMerchant } from "../edge/support/api.js";
import { sql } from "../edge/support/database.js";
import { deliver, transition } from "../edge/support/projection.js";

/**
 * Issue 12, item 1 (DESIGN invariant 6): test mode and live mode are two worlds. The attacker
 * holds the merchant's test key (the one pasted into a CI config or a developer's laptop) and
 * reaches for what happened in live mode: endpoints, events, deliveries, disputes and request
 * logs. Each object of the other mode answers 404, exactly as another merchant's would.
 */
const RECEIVER = "http://127.0.0.1:9/hooks"; // loopback receivers are allowed in this tier

/** A merchant with both keys, as `npm start` gives the demo merchant. */
async function merchantWithBothModes() {
  const merchant = await newMerchant();
  const live = await liveSecretKey(merchant.id);
  return { id: merchant.id, testKey: merchant.secretKey, liveKey: live.secret, liveKeyId: live.id };
}

async function endpoint(key: string) {
  const created = await call("POST", "/v1/webhook_endpoints", { key, body: { url: RECEIVER, enabled_events: ["*"] } });
  expect(created.status).toBe(201);
  return created.json as { id: string; livemode: boolean };
}

let serial = 0;
const paymentId = () => `pay_modes${Date.now()}${++serial}`;

/** A captured payment of `livemode` whose authorization went out with this RRN (25 Nov, 12:00 UTC). */
async function capturedPayment(merchantId: string, livemode: boolean, rrn: string) {
  const id = paymentId();
  await deliver([transition(merchantId, id, 3, "captured", "authorized", livemode)]);
  await sql("update payments set processor_reference = $1 where id = $2", [`${rrn}-0100-000001-1125120000`, id]);
  return id;
}

const rrnOf = () => `8${String(Date.now()).slice(-8)}${String(++serial % 1000).padStart(3, "0")}`;

/**
 * The vault's connector service handing over an acquirer's chargeback: a service token signed by
 * a key the Worker is configured to trust for this call (this tier has no vault).
 */
async function networkChargeback(advice: Record<string, unknown>) {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "vault-1", alg: "ES256" }] });
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "vault-1" })
    .setIssuer("vault-service")
    .setAudience("gateway-edge")
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime("60s")
    .sign(privateKey);
  const request = new Request(`${BASE}/internal/v1/disputes`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      processor: "visa",
      amount: 1_000,
      transaction_amount: 1_000,
      transaction_date: "2026-11-25",
      currency: "USD",
      reason: "fraudulent",
      ...advice,
    }),
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...env, VAULT_NOTIFY_JWKS: jwks },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

describe("a test key never reaches live mode's objects", () => {
  it("gets 404 for a live webhook endpoint, whatever it tries, and does not list it", async () => {
    const merchant = await merchantWithBothModes();
    const live = await endpoint(merchant.liveKey);
    expect(live.livemode).toBe(true);
    const path = `/v1/webhook_endpoints/${live.id}`;
    for (const [method, suffix, body] of [
      ["GET", "", undefined],
      ["POST", "", { url: "http://127.0.0.1:9/attacker", disabled: false }],
      ["POST", "/rotate_secret", { expire_previous_in_seconds: 0 }],
      ["GET", "/deliveries", undefined],
      ["DELETE", "", undefined],
    ] as const) {
      expectError(
        await call(method, `${path}${suffix}`, { key: merchant.testKey, body }),
        404,
        "invalid_request_error",
        "id",
      );
    }
    expect((await call("GET", "/v1/webhook_endpoints", { key: merchant.testKey })).json.data).toEqual([]);
    // Untouched: same URL, same secret, still there for the live key.
    const [row] = await sql<{ url: string; previous_secret_ciphertext: string | null }>(
      "select url, previous_secret_ciphertext from webhook_endpoints where id = $1",
      [live.id],
    );
    expect(row).toEqual({ url: RECEIVER, previous_secret_ciphertext: null });
    expect((await call("GET", path, { key: merchant.liveKey })).json).toMatchObject({ id: live.id, livemode: true });
  });

  it("neither lists, retrieves nor resends a live event", async () => {
    const merchant = await merchantWithBothModes();
    const pay = paymentId();
    await deliver([transition(merchant.id, pay, 3, "captured", "authorized", true)]);
    const [event] = await sql<{ id: string }>("select id from events where object_id = $1", [pay]);
    expect((await call("GET", `/v1/events/${event!.id}`, { key: merchant.liveKey })).json).toMatchObject({
      id: event!.id,
      livemode: true,
      data: { object: { id: pay, livemode: true } },
    });

    expectError(
      await call("GET", `/v1/events/${event!.id}`, { key: merchant.testKey }),
      404,
      "invalid_request_error",
      "id",
    );
    expectError(
      await call("POST", `/v1/events/${event!.id}/resend`, { key: merchant.testKey, body: {} }),
      404,
      "invalid_request_error",
      "id",
    );
    expect((await call("GET", "/v1/events", { key: merchant.testKey })).json.data).toEqual([]);
  });

  it("sees a live event delivered only to live endpoints, and cannot have it resent to its own", async () => {
    const merchant = await merchantWithBothModes();
    const testEndpoint = await endpoint(merchant.testKey);
    const liveEndpoint = await endpoint(merchant.liveKey);
    const livePay = paymentId();
    const testPay = paymentId();
    // Now, so both endpoints existed when the events happened.
    const now = (message: ReturnType<typeof transition>) => ({
      ...message,
      event: { ...message.event, created_at: new Date(Date.now() + 1_000).toISOString() },
    });
    await deliver([
      now(transition(merchant.id, livePay, 3, "captured", "authorized", true)),
      now(transition(merchant.id, testPay, 3, "captured", "authorized", false)),
    ]);

    const deliveries = await sql<{ endpoint_id: string; object_id: string; livemode: boolean }>(
      `select d.endpoint_id, e.object_id, d.livemode from webhook_deliveries d join events e on e.id = d.event_id
       where d.merchant_id = $1 order by d.livemode`,
      [merchant.id],
    );
    expect(deliveries).toEqual([
      { endpoint_id: testEndpoint.id, object_id: testPay, livemode: false },
      { endpoint_id: liveEndpoint.id, object_id: livePay, livemode: true },
    ]);
    const listed = await call("GET", `/v1/webhook_endpoints/${testEndpoint.id}/deliveries`, { key: merchant.testKey });
    expect(listed.json.data.map((delivery: { livemode: boolean }) => delivery.livemode)).toEqual([false]);

    // Nor can the live key push the live event to the test endpoint by naming it.
    const [liveEvent] = await sql<{ id: string }>("select id from events where object_id = $1", [livePay]);
    expectError(
      await call("POST", `/v1/events/${liveEvent!.id}/resend`, {
        key: merchant.liveKey,
        body: { endpoint: testEndpoint.id },
      }),
      404,
      "invalid_request_error",
      "endpoint",
    );
    const resent = await call("POST", `/v1/events/${liveEvent!.id}/resend`, { key: merchant.liveKey, body: {} });
    expect(resent.status).toBe(200);
    expect(resent.json.deliveries).toHaveLength(1);
    expect(
      await sql("select endpoint_id from webhook_deliveries where id = any($1::text[])", [resent.json.deliveries]),
    ).toEqual([{ endpoint_id: liveEndpoint.id }]);
  });

  it("neither sees nor answers a live dispute", async () => {
    const merchant = await merchantWithBothModes();
    const rrn = rrnOf();
    const pay = await capturedPayment(merchant.id, true, rrn);
    const recorded = await networkChargeback({ livemode: true, rrn, network_reference: `CB-${rrn}` });
    expect(recorded.status).toBe(200);
    expect(recorded.json).toMatchObject({ object: "dispute", livemode: true, payment: pay, status: "needs_response" });
    const dispute = recorded.json.id as string;

    for (const [method, path, body] of [
      ["GET", `/v1/disputes/${dispute}`, undefined],
      ["POST", `/v1/disputes/${dispute}/evidence`, { text: "We never sold this." }],
    ] as const) {
      expectError(await call(method, path, { key: merchant.testKey, body }), 404, "invalid_request_error", "id");
    }
    expect((await call("GET", "/v1/disputes", { key: merchant.testKey })).json.data).toEqual([]);
    expect(await sql("select status, evidence from disputes where id = $1", [dispute])).toEqual([
      { status: "needs_response", evidence: null },
    ]);
    expect(await sql("select type, livemode from events where object_id = $1 order by created_at", [dispute])).toEqual([
      { type: "dispute.created", livemode: true },
    ]);
  });

  it("cannot have a live chargeback land on a test payment that fits it in every other way", async () => {
    const merchant = await merchantWithBothModes();
    const rrn = rrnOf();
    const testPay = await capturedPayment(merchant.id, false, rrn);
    const live = await networkChargeback({ livemode: true, rrn, network_reference: `CB-${rrn}-live` });
    expectError(live, 404, "invalid_request_error", "rrn");
    expect(await sql("select 1 from disputes where payment_id = $1", [testPay])).toEqual([]);
    // The same advice from the test link is the test payment's.
    const test = await networkChargeback({ livemode: false, rrn, network_reference: `CB-${rrn}-test` });
    expect(test.json).toMatchObject({ livemode: false, payment: testPay });
  });

  it("does not list what live keys did in the request log", async () => {
    const merchant = await merchantWithBothModes();
    const path = `/v1/disputes/dp_modes${Date.now()}`;
    expect((await call("GET", path, { key: merchant.liveKey })).status).toBe(404);
    // Summaries travel through the audit-log queue: wait for the live one to land.
    const logs = async (key: string) => (await call("GET", `/v1/request_logs?path=${path}`, { key })).json.data;
    const deadline = Date.now() + 15_000;
    let live = await logs(merchant.liveKey);
    while (live.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      live = await logs(merchant.liveKey);
    }
    expect(live).toMatchObject([{ path, livemode: true, api_key: merchant.liveKeyId }]);
    expect(await logs(merchant.testKey)).toEqual([]);
  });
});
