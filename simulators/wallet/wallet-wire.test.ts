import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WalletKit } from "./test-kit.js";

/** The faults the admin API switches on, and the admin API's own answers. */
let kit: WalletKit;
beforeAll(async () => {
  kit = await WalletKit.start();
});
afterAll(async () => {
  await kit?.stop();
});
afterEach(async () => {
  await kit.putAdmin("/faults", { mode: "none", routes: ["orders.create", "orders.capture"] });
});

describe("faults", () => {
  it("refuse: connections are refused until the fault is cleared, then the same port answers", async () => {
    await kit.token();
    expect(await kit.putAdmin("/faults", { mode: "refuse" })).toMatchObject({ mode: "refuse" });
    await expect(fetch(`${kit.sim.url}/v2/checkout/orders/X`)).rejects.toThrow();
    await kit.putAdmin("/faults", { mode: "none" });
    expect((await kit.api("GET", "/v2/checkout/orders/X")).status).toBe(404);
  });

  it("never_answer: the capture is booked but no answer comes; reads still answer", async () => {
    const id = await kit.approvedOrder();
    await kit.putAdmin("/faults", { mode: "never_answer" });
    const request = fetch(`${kit.sim.url}/v2/checkout/orders/${id}/capture`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await kit.token()}`, "Content-Type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(400),
    });
    await expect(request).rejects.toThrow();
    const order = await kit.api("GET", `/v2/checkout/orders/${id}`);
    expect(order.body).toMatchObject({
      status: "COMPLETED",
      purchase_units: [{ payments: { captures: [{ status: "COMPLETED" }] } }],
    });
  });

  it("http_500: PayPal's INTERNAL_SERVER_ERROR and nothing booked, so a retry under the same request id runs", async () => {
    const id = await kit.approvedOrder();
    await kit.putAdmin("/faults", { mode: "http_500", routes: ["orders.capture"] });
    const headers = { "PayPal-Request-Id": `fault-${id}` };
    const failed = await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {}, headers);
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ name: "INTERNAL_SERVER_ERROR" });
    expect((await kit.admin(`/orders/${id}`)).status).toBe("APPROVED");
    await kit.putAdmin("/faults", { mode: "none" });
    expect((await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {}, headers)).status).toBe(201);
  });

  it("slow: the answer is held slow_ms; garbled: 200 with bytes that are not JSON, for the routes named", async () => {
    await kit.putAdmin("/faults", { mode: "slow", slow_ms: 300 });
    const started = Date.now();
    await kit.createOrder();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await kit.putAdmin("/faults", { mode: "garbled", routes: ["orders.get"] })).toMatchObject({
      routes: ["orders.get"],
    });
    const id = await kit.createOrder();
    const response = await fetch(`${kit.sim.url}/v2/checkout/orders/${id}`, {
      headers: { Authorization: `Bearer ${await kit.token()}` },
    });
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it("leaves the approval page alone, and refuses a fault it does not know", async () => {
    await kit.putAdmin("/faults", { mode: "http_500", routes: "all" });
    expect((await fetch(`${kit.sim.url}/checkoutnow?token=nope`)).status).toBe(404);
    const unknown = await fetch(`${kit.sim.adminUrl}/faults`, {
      method: "PUT",
      body: JSON.stringify({ mode: "explode" }),
    });
    expect(unknown.status).toBe(400);
  });
});

describe("the admin API", () => {
  it("reports its health, orders in minor units, and the ledger", async () => {
    expect(await kit.admin("/health")).toMatchObject({ status: "ok", webhooks: "deliver", faults: { mode: "none" } });
    const id = await kit.approvedOrder("approve@wallet.test", { value: "12.34" });
    expect(await kit.admin(`/orders/${id}`)).toMatchObject({
      id,
      status: "APPROVED",
      amount_minor: 1234,
      payer: { email: "approve@wallet.test" },
      captures: [],
    });
    expect((await kit.admin("/orders")).orders.some((order: { id: string }) => order.id === id)).toBe(true);
    expect((await kit.admin("/ledger")).entries).toContainEqual(
      expect.objectContaining({ order_id: id, amount_minor: 1234, captured_minor: 0, refunded_minor: 0 }),
    );
    expect((await fetch(`${kit.sim.adminUrl}/orders/NOPE`)).status).toBe(404);
  });
});
