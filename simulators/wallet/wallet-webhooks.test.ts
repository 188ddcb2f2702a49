import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEV_WEBHOOK_ID } from "./config.js";
import { until, WalletKit } from "./test-kit.js";

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

describe("without a webhook URL", () => {
  it("sends nothing and says so", async () => {
    const quiet = await WalletKit.start({ webhookUrl: null });
    try {
      const id = await quiet.approvedOrder();
      expect((await quiet.admin(`/webhooks?order=${id}`)).events[0].delivery.status).toBe("no_endpoint");
    } finally {
      await quiet.stop();
    }
  });
});
