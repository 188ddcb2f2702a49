import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until, WalletKit } from "./test-kit.js";

/** The hosted approval page: what the payer sees, and where each choice sends them. */
let kit: WalletKit;
beforeAll(async () => {
  kit = await WalletKit.start();
});
afterAll(async () => {
  await kit?.stop();
});

describe("the approval page", () => {
  it("shows the merchant, the amount, the payer's e-mail field and both buttons", async () => {
    const id = await kit.createOrder({ value: "12.34" });
    const response = await fetch(`${kit.sim.url}/checkoutnow?token=${id}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<dd id="merchant">Chai Co</dd>');
    expect(page).toContain('<dd id="amount">12.34 USD</dd>');
    expect(page).toMatch(/<input id="payer-email" name="email" type="email"[^>]* value="approve@wallet.test">/);
    expect(page).toContain('<button id="approve" type="submit">Pay Now</button>');
    expect(page).toContain('<button id="cancel" type="submit">');
  });

  it("approve: the order is APPROVED for the payer, announced, and the payer goes back to return_url", async () => {
    const id = await kit.createOrder();
    const response = await kit.approve(id, "Approve@Wallet.test");
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe("https://shop.example/return");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      cart: "7",
      token: id,
      PayerID: expect.stringMatching(/^[0-9A-Z]{13}$/),
    });
    const order = (await kit.api("GET", `/v2/checkout/orders/${id}`)).body;
    expect(order).toMatchObject({
      status: "APPROVED",
      payer: { email_address: "approve@wallet.test", payer_id: location.searchParams.get("PayerID") },
      links: [{ rel: "self" }, { rel: "capture", method: "POST" }],
    });
    const [hook] = await until(
      () => kit.webhooksFor(id, "CHECKOUT.ORDER.APPROVED"),
      (found) => found.length > 0,
    );
    expect(hook).toMatchObject({
      verified: true,
      event: { resource_type: "checkout-order", resource: { id, status: "APPROVED" } },
    });
  });

  it("the same payer always has the same PayerID", async () => {
    const payerOf = async () =>
      new URL(
        (await kit.approve(await kit.createOrder(), "pending@wallet.test")).headers.get("location") ?? "",
      ).searchParams.get("PayerID");
    expect(await payerOf()).toBe(await payerOf());
  });

  it("cancel: back to cancel_url with the token, the order untouched", async () => {
    const id = await kit.createOrder();
    const response = await kit.form("/checkoutnow/cancel", { token: id });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`https://shop.example/cancel?token=${id}`);
    expect((await kit.api("GET", `/v2/checkout/orders/${id}`)).body.status).toBe("PAYER_ACTION_REQUIRED");
  });

  it("abandon@wallet.test: the page says so, nothing returns, the order still waits", async () => {
    const id = await kit.createOrder();
    const response = await kit.approve(id, "abandon@wallet.test");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('data-outcome="abandoned"');
    expect((await kit.api("GET", `/v2/checkout/orders/${id}`)).body.status).toBe("PAYER_ACTION_REQUIRED");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kit.webhooksFor(id)).toEqual([]);
  });

  it("an order created without payment_source returns through application_context's return_url", async () => {
    const id = await kit.createOrder({ paymentSource: false });
    expect((await kit.approve(id)).headers.get("location")).toMatch(/^https:\/\/shop\.example\/return\?cart=7&token=/);
  });

  it("refuses a bad e-mail (400), an unknown order (404), an order already approved (409)", async () => {
    const id = await kit.createOrder();
    expect((await kit.approve(id, "not an email")).status).toBe(400);
    expect((await kit.approve("5O190127TN364715T")).status).toBe(404);
    expect((await fetch(`${kit.sim.url}/checkoutnow?token=nope`)).status).toBe(404);
    expect((await kit.approve(id)).status).toBe(303);
    expect((await kit.approve(id)).status).toBe(409);
    expect((await fetch(`${kit.sim.url}/checkoutnow?token=${id}`)).status).toBe(409);
  });

  it("capture before approval is 422 ORDER_NOT_APPROVED", async () => {
    const id = await kit.createOrder();
    const answer = await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {});
    expect(answer.status).toBe(422);
    expect(answer.body.details[0].issue).toBe("ORDER_NOT_APPROVED");
  });
});
