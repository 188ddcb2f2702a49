import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until, WalletKit } from "./test-kit.js";

/** Capturing an order, and what each test payer's account makes of it; the sandbox's mock header. */
let kit: WalletKit;
beforeAll(async () => {
  kit = await WalletKit.start();
});
afterAll(async () => {
  await kit?.stop();
});

const capture = (id: string, headers: Record<string, string> = {}) =>
  kit.api("POST", `/v2/checkout/orders/${id}/capture`, {}, headers);
const hooks = (id: string, type: string) =>
  until(
    () => kit.webhooksFor(id, type),
    (found) => found.length > 0,
  );

describe("capturing an order", () => {
  it("approve@: 201, a COMPLETED order holding a COMPLETED capture, announced", async () => {
    const id = await kit.approvedOrder();
    const answer = await capture(id);
    expect(answer.status).toBe(201);
    const captured = answer.body.purchase_units[0].payments.captures[0];
    expect(answer.body).toMatchObject({ id, status: "COMPLETED", payer: { email_address: "approve@wallet.test" } });
    expect(captured).toMatchObject({
      id: expect.stringMatching(/^[0-9A-Z]{17}$/),
      status: "COMPLETED",
      amount: { currency_code: "USD", value: "499.00" },
      final_capture: true,
      custom_id: "pay_test",
      supplementary_data: { related_ids: { order_id: id } },
    });
    const [hook] = await hooks(id, "PAYMENT.CAPTURE.COMPLETED");
    expect(hook).toMatchObject({ verified: true, event: { resource_type: "capture", resource: { id: captured.id } } });
    expect((await kit.api("GET", `/v2/payments/captures/${captured.id}`)).body).toMatchObject({ status: "COMPLETED" });
  });

  it("twice: 422 ORDER_ALREADY_CAPTURED", async () => {
    const id = await kit.approvedOrder();
    expect((await capture(id)).status).toBe(201);
    const again = await capture(id);
    expect(again.status).toBe(422);
    expect(again.body.details[0].issue).toBe("ORDER_ALREADY_CAPTURED");
  });

  it("again under the same PayPal-Request-Id: 200 with the same capture, and one capture only", async () => {
    const id = await kit.approvedOrder();
    const headers = { "PayPal-Request-Id": `capture-${id}` };
    const first = await capture(id, headers);
    const retry = await capture(id, headers);
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body.purchase_units[0].payments.captures).toEqual(first.body.purchase_units[0].payments.captures);
    expect((await kit.admin(`/orders/${id}`)).captures).toHaveLength(1);
  });

  it("decline@: 422 INSTRUMENT_DECLINED pointing the payer back; the order waits and can be approved again", async () => {
    const id = await kit.approvedOrder("decline@wallet.test");
    const declined = await capture(id);
    expect(declined.status).toBe(422);
    expect(declined.body).toMatchObject({
      name: "UNPROCESSABLE_ENTITY",
      details: [{ issue: "INSTRUMENT_DECLINED" }],
      links: expect.arrayContaining([
        { href: `${kit.sim.url}/checkoutnow?token=${id}`, rel: "redirect", method: "GET" },
      ]),
    });
    const order = (await kit.api("GET", `/v2/checkout/orders/${id}`)).body;
    expect(order.status).toBe("PAYER_ACTION_REQUIRED");
    expect(order).not.toHaveProperty("payer");
    expect((await kit.approve(id, "approve@wallet.test")).status).toBe(303);
    expect((await capture(id)).body.purchase_units[0].payments.captures[0].status).toBe("COMPLETED");
  });

  it("deny@: a COMPLETED order holding a DECLINED capture, announced as PAYMENT.CAPTURE.DECLINED", async () => {
    const id = await kit.approvedOrder("deny@wallet.test");
    const answer = await capture(id);
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe("COMPLETED");
    const declined = answer.body.purchase_units[0].payments.captures[0];
    expect(declined.status).toBe("DECLINED");
    const [hook] = await hooks(id, "PAYMENT.CAPTURE.DECLINED");
    expect(hook).toMatchObject({ verified: true, event: { resource: { id: declined.id, status: "DECLINED" } } });
    expect(await kit.admin("/ledger")).toMatchObject({
      entries: expect.arrayContaining([expect.objectContaining({ order_id: id, captured_minor: 0 })]),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(kit.webhooksFor(id, "PAYMENT.CAPTURE.DENIED")).toEqual([]);
  });

  it("pending-deny@: PENDING, then DECLINED after the review, announced as PAYMENT.CAPTURE.DENIED", async () => {
    const id = await kit.approvedOrder("pending-deny@wallet.test");
    const captured = (await capture(id)).body.purchase_units[0].payments.captures[0];
    expect(captured).toMatchObject({ status: "PENDING", status_details: { reason: "PENDING_REVIEW" } });
    expect((await hooks(id, "PAYMENT.CAPTURE.PENDING"))[0]?.event.resource.id).toBe(captured.id);
    const [denied] = await hooks(id, "PAYMENT.CAPTURE.DENIED");
    expect(denied).toMatchObject({ verified: true, event: { resource: { id: captured.id, status: "DECLINED" } } });
    expect(denied?.event.resource).not.toHaveProperty("status_details");
    expect((await kit.api("GET", `/v2/payments/captures/${captured.id}`)).body.status).toBe("DECLINED");
    expect((await kit.admin("/ledger")).entries).toContainEqual(
      expect.objectContaining({ order_id: id, captured_minor: 0, pending_minor: 0 }),
    );
    expect(kit.webhooksFor(id, "PAYMENT.CAPTURE.DECLINED")).toEqual([]);
    expect(kit.webhooksFor(id, "PAYMENT.CAPTURE.COMPLETED")).toEqual([]);
  });

  it("books a whole-unit currency in ISO minor units: HUF 150 captured is 15000", async () => {
    const id = await kit.approvedOrder("approve@wallet.test", { currency: "HUF", value: "150" });
    const captured = (await capture(id)).body.purchase_units[0].payments.captures[0];
    expect(captured.amount).toEqual({ currency_code: "HUF", value: "150" });
    expect((await kit.admin(`/orders/${id}`)).captures[0].amount_minor).toBe(15_000);
    expect((await kit.admin("/ledger")).entries).toContainEqual(
      expect.objectContaining({ order_id: id, currency: "HUF", captured_minor: 15_000 }),
    );
  });

  it("pending@: PENDING (PENDING_REVIEW), then COMPLETED, each announced", async () => {
    const id = await kit.approvedOrder("pending@wallet.test");
    const captured = (await capture(id)).body.purchase_units[0].payments.captures[0];
    expect(captured).toMatchObject({ status: "PENDING", status_details: { reason: "PENDING_REVIEW" } });
    expect((await hooks(id, "PAYMENT.CAPTURE.PENDING"))[0]?.event.resource.status).toBe("PENDING");
    const [completed] = await hooks(id, "PAYMENT.CAPTURE.COMPLETED");
    expect(completed?.event.resource).toMatchObject({ id: captured.id, status: "COMPLETED" });
    expect(completed?.event.resource).not.toHaveProperty("status_details");
    expect((await kit.api("GET", `/v2/payments/captures/${captured.id}`)).body.status).toBe("COMPLETED");
  });

  it("capture of an AUTHORIZE order, or authorize of a CAPTURE one: 422 ACTION_DOES_NOT_MATCH_INTENT", async () => {
    const authorizeOrder = await kit.approvedOrder("approve@wallet.test", { intent: "AUTHORIZE" });
    expect((await capture(authorizeOrder)).body.details[0].issue).toBe("ACTION_DOES_NOT_MATCH_INTENT");
    const captureOrder = await kit.approvedOrder();
    const answer = await kit.api("POST", `/v2/checkout/orders/${captureOrder}/authorize`, {});
    expect(answer.body.details[0].issue).toBe("ACTION_DOES_NOT_MATCH_INTENT");
  });
});

describe("PayPal-Mock-Response", () => {
  it("fails the call with the code asked for, and nothing happens", async () => {
    const id = await kit.approvedOrder();
    const mocked = await capture(id, { "PayPal-Mock-Response": '{"mock_application_codes":"INSTRUMENT_DECLINED"}' });
    expect(mocked.status).toBe(422);
    expect(mocked.body.details[0]).toMatchObject({ issue: "INSTRUMENT_DECLINED" });
    expect((await kit.api("GET", `/v2/checkout/orders/${id}`)).body.status).toBe("APPROVED");
    const missing = await kit.api("GET", `/v2/checkout/orders/${id}`, undefined, {
      "PayPal-Mock-Response": '{"mock_application_codes":"INVALID_RESOURCE_ID"}',
    });
    expect(missing.status).toBe(404);
    expect((await capture(id)).status).toBe(201);
  });

  it("refuses a header that is not the sandbox's JSON", async () => {
    const id = await kit.approvedOrder();
    const answer = await capture(id, { "PayPal-Mock-Response": "INSTRUMENT_DECLINED" });
    expect(answer.status).toBe(400);
    expect(answer.body.details[0]).toMatchObject({ field: "PayPal-Mock-Response", location: "header" });
  });
});
