import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until, WalletKit } from "./test-kit.js";

/** Orders never captured or authorized expire; the books, request ids and certificate survive a restart. */
let kit: WalletKit;
beforeAll(async () => {
  kit = await WalletKit.start({ orderExpiryMs: 400, pendingCaptureMs: 600 });
});
afterAll(async () => {
  await kit?.stop();
});

describe("expiry", () => {
  it("an order nobody approves is gone: 404 to the API and the page, EXPIRED in the books, no webhook", async () => {
    const id = await kit.createOrder();
    await until(
      () => kit.admin(`/orders/${id}`),
      (order) => order.status === "EXPIRED",
    );
    const read = await kit.api("GET", `/v2/checkout/orders/${id}`);
    expect(read.status).toBe(404);
    expect(read.body.details[0].issue).toBe("INVALID_RESOURCE_ID");
    expect((await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {})).status).toBe(404);
    expect((await fetch(`${kit.sim.url}/checkoutnow?token=${id}`)).status).toBe(404);
    expect((await kit.approve(id)).status).toBe(404);
    expect(kit.webhooksFor(id)).toEqual([]);
  });

  it("approval starts the window again; an approved order never captured then expires too", async () => {
    const id = await kit.createOrder();
    const created = await kit.admin(`/orders/${id}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await kit.approve(id);
    const approved = await kit.admin(`/orders/${id}`);
    expect(Date.parse(approved.expires_at)).toBeGreaterThan(Date.parse(created.expires_at));
    const expired = await until(
      () => kit.admin(`/orders/${id}`),
      (order) => order.status === "EXPIRED",
    );
    expect(expired.payer).toMatchObject({ email: "approve@wallet.test" });
    const read = await kit.api("GET", `/v2/checkout/orders/${id}`);
    expect(read.status).toBe(404);
    expect(read.body).toMatchObject({ name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID" }] });
    expect((await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {})).status).toBe(404);
  });

  it("a captured order does not expire", async () => {
    const id = await kit.approvedOrder();
    expect((await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {})).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await kit.api("GET", `/v2/checkout/orders/${id}`)).body.status).toBe("COMPLETED");
    expect((await kit.admin(`/orders/${id}`)).status).toBe("COMPLETED");
  });

  it("the admin API expires an order now, approved or not, and refuses one captured or authorized", async () => {
    const slow = await WalletKit.start();
    const expire = (id: string) => fetch(`${slow.sim.adminUrl}/orders/${id}/expire`, { method: "POST" });
    try {
      const id = await slow.createOrder();
      expect(await slow.admin(`/orders/${id}/expire`, { method: "POST" })).toMatchObject({ status: "EXPIRED" });
      expect((await slow.api("GET", `/v2/checkout/orders/${id}`)).status).toBe(404);
      expect((await expire(id)).status).toBe(409);

      const approved = await slow.approvedOrder();
      expect(await slow.admin(`/orders/${approved}/expire`, { method: "POST" })).toMatchObject({
        status: "EXPIRED",
        payer: { email: "approve@wallet.test" },
      });
      const read = await slow.api("GET", `/v2/checkout/orders/${approved}`);
      expect(read.status).toBe(404);
      expect(read.body).toMatchObject({ name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID" }] });
      expect((await slow.api("POST", `/v2/checkout/orders/${approved}/capture`, {})).status).toBe(404);
      expect((await fetch(`${slow.sim.url}/checkoutnow?token=${approved}`)).status).toBe(404);

      const captured = await slow.approvedOrder();
      await slow.api("POST", `/v2/checkout/orders/${captured}/capture`, {});
      const refused = await expire(captured);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toEqual({ error: "already completed" });
      expect((await slow.api("GET", `/v2/checkout/orders/${captured}`)).status).toBe(200);
    } finally {
      await slow.stop();
    }
  });
});

describe("after a restart", () => {
  it("keeps the books, answers a retried request id with the same result, and signs with the same certificate", async () => {
    const id = await kit.approvedOrder();
    const headers = { "PayPal-Request-Id": `restart-${id}` };
    const capture = (await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {}, headers)).body.purchase_units[0]
      .payments.captures[0];
    const refund = (
      await kit.api("POST", `/v2/payments/captures/${capture.id}/refund`, {
        amount: { currency_code: "USD", value: "1.00" },
      })
    ).body;
    const certUrl = (
      await until(
        () => kit.webhooksFor(id),
        (found) => found.length > 0,
      )
    )[0]!.headers["paypal-cert-url"];
    const before = await kit.admin(`/orders/${id}`);
    await kit.restart();
    kit.received.length = 0;
    expect(await kit.admin(`/orders/${id}`)).toEqual(before);
    const retried = await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {}, headers);
    expect(retried.status).toBe(200);
    expect(retried.body.purchase_units[0].payments.captures[0].id).toBe(capture.id);
    expect((await kit.api("GET", `/v2/payments/refunds/${refund.id}`)).body.amount.value).toBe("1.00");
    // The journal holds the whole order after each change: its last line is the order as it stands.
    const lines = readFileSync(join(kit.dataDir, "wallet-books.jsonl"), "utf8").trim().split("\n");
    const last = lines
      .map((line) => JSON.parse(line))
      .filter((order) => order.id === id)
      .at(-1);
    expect(last).toMatchObject({ status: "COMPLETED", captures: [{ id: capture.id }], refunds: [{ id: refund.id }] });
    const next = await kit.approvedOrder();
    const [hook] = await until(
      () => kit.webhooksFor(next),
      (found) => found.length > 0,
    );
    expect(new URL(String(hook?.headers["paypal-cert-url"])).pathname).toBe(new URL(String(certUrl)).pathname);
    expect(hook?.verified).toBe(true);
  });

  it("a pending capture still completes, and an unapproved order still expires", async () => {
    const pending = await kit.approvedOrder("pending@wallet.test");
    await kit.api("POST", `/v2/checkout/orders/${pending}/capture`, {});
    const waiting = await kit.createOrder();
    await kit.restart();
    await until(
      () => kit.admin(`/orders/${pending}`),
      (order) => order.captures[0].status === "COMPLETED",
    );
    await until(
      () => kit.admin(`/orders/${waiting}`),
      (order) => order.status === "EXPIRED",
    );
    await until(
      () => kit.webhooksFor(pending, "PAYMENT.CAPTURE.COMPLETED"),
      (found) => found.length > 0,
    );
  });
});
