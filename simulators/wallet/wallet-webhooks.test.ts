import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEV_WEBHOOK_ID } from "./config.js";
import { type Json, type ReceivedWebhook, until, WalletKit } from "./test-kit.js";

/** Signed webhooks: headers, the certificate, the postback, retries, dropping and replaying. */
let kit: WalletKit;
beforeAll(async () => {
  kit = await WalletKit.start();
});
afterAll(async () => {
  await kit?.stop();
});
afterEach(async () => {
  kit.answerStatus = 200;
  await kit.putAdmin("/webhooks", { mode: "deliver" });
});

const approvedHook = async (id: string) =>
  (
    await until(
      () => kit.webhooksFor(id, "CHECKOUT.ORDER.APPROVED"),
      (found) => found.length > 0,
    )
  )[0]!;

describe("a webhook", () => {
  it("carries PayPal's headers and event shape, and verifies with common/wallet against the served certificate", async () => {
    const id = await kit.approvedOrder();
    const hook = await approvedHook(id);
    expect(hook.verified).toBe(true);
    expect(hook.headers).toMatchObject({
      "content-type": "application/json",
      "paypal-transmission-id": expect.stringMatching(/^[0-9a-f-]{36}$/),
      "paypal-transmission-time": expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      "paypal-transmission-sig": expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      "paypal-cert-url": expect.stringMatching(
        new RegExp(`^${kit.sim.url}/v1/notifications/certs/CERT-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`),
      ),
      "paypal-auth-algo": "SHA256withRSA",
    });
    expect(hook.event).toMatchObject({
      id: expect.stringMatching(/^WH-[0-9A-Z]{17}-[0-9A-Z]{17}$/),
      event_version: "1.0",
      resource_version: "2.0",
      create_time: expect.any(String),
      resource_type: "checkout-order",
      event_type: "CHECKOUT.ORDER.APPROVED",
      summary: expect.any(String),
      resource: { id },
    });
    const certificate = await fetch(String(hook.headers["paypal-cert-url"]));
    expect(await certificate.text()).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n/);
    expect((await fetch(`${kit.sim.url}/v1/notifications/certs/CERT-00000000-00000000-00000000`)).status).toBe(404);
  });

  it("the postback verify-webhook-signature: SUCCESS for it as sent, FAILURE once changed", async () => {
    const hook = await approvedHook(await kit.approvedOrder());
    const request = {
      auth_algo: hook.headers["paypal-auth-algo"],
      cert_url: hook.headers["paypal-cert-url"],
      transmission_id: hook.headers["paypal-transmission-id"],
      transmission_sig: hook.headers["paypal-transmission-sig"],
      transmission_time: hook.headers["paypal-transmission-time"],
      webhook_id: DEV_WEBHOOK_ID,
      webhook_event: hook.event,
    };
    const verify = async (body: object) =>
      (await kit.api("POST", "/v1/notifications/verify-webhook-signature", body)).body.verification_status;
    expect(await verify(request)).toBe("SUCCESS");
    expect(await verify({ ...request, webhook_event: { ...hook.event, summary: "forged" } })).toBe("FAILURE");
    expect(await verify({ ...request, webhook_id: "9XL90610J3647323C" })).toBe("FAILURE");
    expect(await verify({ ...request, auth_algo: "SHA1withRSA" })).toBe("FAILURE");
    const anonymous = await fetch(`${kit.sim.url}/v1/notifications/verify-webhook-signature`, {
      method: "POST",
      body: JSON.stringify(request),
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "invalid_token" });
  });

  it("is retried until the receiver answers 2xx, each attempt logged", async () => {
    kit.answerStatus = 500;
    const id = await kit.approvedOrder();
    await until(
      () => kit.webhooksFor(id).length,
      (count) => count >= 2,
    );
    kit.answerStatus = 200;
    const { events } = await until(
      () => kit.admin(`/webhooks?order=${id}`),
      (body) => body.events[0]?.delivery.status === "delivered",
    );
    expect(events[0].delivery.attempts.map((attempt: { status: number }) => attempt.status)).toEqual([500, 500, 200]);
    const ids = new Set(kit.webhooksFor(id).map((hook) => hook.headers["paypal-transmission-id"]));
    expect(ids.size).toBe(3);
    expect(new Set(kit.webhooksFor(id).map((hook) => hook.event.id)).size).toBe(1);
  });

  it("gives up after the last retry", async () => {
    kit.answerStatus = 503;
    const id = await kit.approvedOrder();
    const { events } = await until(
      () => kit.admin(`/webhooks?order=${id}`),
      (body) => body.events[0]?.delivery.status === "failed",
    );
    expect(events[0].delivery.attempts).toHaveLength(3);
  });

  it("drop: events are recorded and not sent; replay sends one, signed anew", async () => {
    await kit.putAdmin("/webhooks", { mode: "drop" });
    const id = await kit.approvedOrder();
    const { events } = await kit.admin(`/webhooks?order=${id}`);
    expect(events).toMatchObject([
      { event_type: "CHECKOUT.ORDER.APPROVED", delivery: { status: "dropped", attempts: [] } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kit.webhooksFor(id)).toEqual([]);
    const replayed = await kit.admin(`/webhooks/${events[0].id}/replay`, { method: "POST" });
    expect(replayed).toEqual({ event_id: events[0].id, status: 200 });
    expect((await approvedHook(id)).verified).toBe(true);
    expect((await kit.admin("/webhooks/WH-NOPE/replay", { method: "POST" })).error).toBe("no such event");
  });
});

/** Every event the wallet recorded for an order, as the receiver got it, once all are delivered. */
async function receivedFor(orderId: string): Promise<ReceivedWebhook[]> {
  const { events } = await until(
    () => kit.admin(`/webhooks?order=${orderId}`),
    (body) => body.events.every((event: Json) => event.delivery.status === "delivered"),
  );
  return events.map((event: Json) => kit.received.find((hook) => hook.event.id === event.id)!);
}

describe("each resource names the payment it is about", () => {
  it("orders by purchase_units[0].custom_id; captures and authorizations by custom_id and the order id; refunds by their own custom_id", async () => {
    const sale = await kit.approvedOrder();
    const capture = (await kit.api("POST", `/v2/checkout/orders/${sale}/capture`, {})).body.purchase_units[0].payments
      .captures[0];
    await kit.api("POST", `/v2/payments/captures/${capture.id}/refund`, {
      amount: { currency_code: "USD", value: "1.00" },
      custom_id: "re_sale_1",
    });
    const hold = await kit.approvedOrder("approve@wallet.test", { intent: "AUTHORIZE" });
    const authorization = (await kit.api("POST", `/v2/checkout/orders/${hold}/authorize`, {})).body.purchase_units[0]
      .payments.authorizations[0];
    await kit.api("POST", `/v2/payments/authorizations/${authorization.id}/capture`, {
      amount: { currency_code: "USD", value: "100.00" },
    });
    await kit.api("POST", `/v2/payments/authorizations/${authorization.id}/void`);

    const hooks = [...(await receivedFor(sale)), ...(await receivedFor(hold))];
    expect(hooks.map((hook) => hook.event.event_type)).toEqual([
      "CHECKOUT.ORDER.APPROVED",
      "PAYMENT.CAPTURE.COMPLETED",
      "PAYMENT.CAPTURE.REFUNDED",
      "CHECKOUT.ORDER.APPROVED",
      "PAYMENT.AUTHORIZATION.CREATED",
      "PAYMENT.CAPTURE.COMPLETED",
      "PAYMENT.AUTHORIZATION.VOIDED",
    ]);
    for (const { event } of hooks) {
      switch (event.resource_type) {
        case "checkout-order":
          expect(event.resource).toMatchObject({ purchase_units: [{ custom_id: "pay_test" }] });
          expect([sale, hold]).toContain(event.resource.id);
          break;
        case "capture":
        case "authorization":
          expect(event.resource).toMatchObject({
            custom_id: "pay_test",
            supplementary_data: { related_ids: { order_id: expect.stringMatching(/^[0-9A-Z]{17}$/) } },
          });
          expect([sale, hold]).toContain(event.resource.supplementary_data.related_ids.order_id);
          break;
        case "refund":
          expect(event.resource).toMatchObject({ custom_id: "re_sale_1" });
          break;
        default:
          throw new Error(`unexpected resource_type ${event.resource_type}`);
      }
    }
  });
});

describe("CHECKOUT.ORDER.APPROVED", () => {
  it("is sent when the payer approves, with the order as it stands: APPROVED, the payer, its capture link", async () => {
    const id = await kit.createOrder();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kit.webhooksFor(id)).toEqual([]);
    await kit.approve(id, "approve@wallet.test");
    const hook = await approvedHook(id);
    expect(hook.event.resource).toMatchObject({
      id,
      intent: "CAPTURE",
      status: "APPROVED",
      payer: { email_address: "approve@wallet.test" },
      purchase_units: [{ custom_id: "pay_test", amount: { currency_code: "USD", value: "499.00" } }],
      links: expect.arrayContaining([
        { href: `${kit.sim.url}/v2/checkout/orders/${id}/capture`, rel: "capture", method: "POST" },
      ]),
    });
  });
});

describe("without a webhook URL", () => {
  it("sends nothing, not even a replay, and says so", async () => {
    const quiet = await WalletKit.start({ webhookUrl: null });
    try {
      const id = await quiet.approvedOrder();
      await quiet.api("POST", `/v2/checkout/orders/${id}/capture`, {});
      const { events } = await quiet.admin(`/webhooks?order=${id}`);
      expect(events.map((event: Json) => [event.event_type, event.delivery.status])).toEqual([
        ["CHECKOUT.ORDER.APPROVED", "no_endpoint"],
        ["PAYMENT.CAPTURE.COMPLETED", "no_endpoint"],
      ]);
      expect(await quiet.admin(`/webhooks/${events[0].id}/replay`, { method: "POST" })).toEqual({
        event_id: events[0].id,
        status: null,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(quiet.received).toEqual([]);
    } finally {
      await quiet.stop();
    }
  });
});
