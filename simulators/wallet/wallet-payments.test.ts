import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, until, WalletKit } from "./test-kit.js";

/** Authorize then capture or void; refunds, partial and several. */
let kit: WalletKit;
beforeAll(async () => {
  kit = await WalletKit.start();
});
afterAll(async () => {
  await kit?.stop();
});

const usd = (value: string) => ({ currency_code: "USD", value });

async function authorized(email = "approve@wallet.test", value = "100.00"): Promise<Json> {
  const id = await kit.approvedOrder(email, { intent: "AUTHORIZE", value });
  const answer = await kit.api("POST", `/v2/checkout/orders/${id}/authorize`, {});
  expect(answer.status).toBe(201);
  return answer.body.purchase_units[0].payments.authorizations[0];
}

async function captured(value = "100.00"): Promise<Json> {
  const id = await kit.approvedOrder("approve@wallet.test", { value });
  return (await kit.api("POST", `/v2/checkout/orders/${id}/capture`, {})).body.purchase_units[0].payments.captures[0];
}

describe("authorizations", () => {
  it("authorize: a CREATED authorization with its expiration_time, announced; twice is ORDER_ALREADY_AUTHORIZED", async () => {
    const authorization = await authorized();
    expect(authorization).toMatchObject({ status: "CREATED", amount: usd("100.00") });
    const days = (Date.parse(authorization.expiration_time) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(29);
    const orderId = authorization.supplementary_data.related_ids.order_id;
    const [hook] = await until(
      () => kit.webhooksFor(authorization.id, "PAYMENT.AUTHORIZATION.CREATED"),
      (found) => found.length > 0,
    );
    expect(hook?.verified).toBe(true);
    const again = await kit.api("POST", `/v2/checkout/orders/${orderId}/authorize`, {});
    expect(again.body.details[0].issue).toBe("ORDER_ALREADY_AUTHORIZED");
  });

  it("decline@ cannot be authorized: 422 INSTRUMENT_DECLINED", async () => {
    const id = await kit.approvedOrder("decline@wallet.test", { intent: "AUTHORIZE" });
    expect((await kit.api("POST", `/v2/checkout/orders/${id}/authorize`, {})).body.details[0].issue).toBe(
      "INSTRUMENT_DECLINED",
    );
  });

  it("captures in parts up to the amount, then is CAPTURED; more is refused", async () => {
    const authorization = await authorized();
    const path = `/v2/payments/authorizations/${authorization.id}/capture`;
    const first = await kit.api("POST", path, { amount: usd("30.00") });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "COMPLETED", amount: usd("30.00"), final_capture: false });
    expect((await kit.api("GET", `/v2/payments/authorizations/${authorization.id}`)).body.status).toBe(
      "PARTIALLY_CAPTURED",
    );
    expect((await kit.api("POST", path, { amount: usd("70.01") })).body.details[0].issue).toBe(
      "MAX_CAPTURE_AMOUNT_EXCEEDED",
    );
    expect(
      (await kit.api("POST", path, { amount: { currency_code: "EUR", value: "1.00" } })).body.details[0].issue,
    ).toBe("AUTH_CAPTURE_CURRENCY_MISMATCH");
    const rest = await kit.api("POST", path, {});
    expect(rest.body.amount).toEqual(usd("70.00"));
    expect((await kit.api("GET", `/v2/payments/authorizations/${authorization.id}`)).body.status).toBe("CAPTURED");
    expect((await kit.api("POST", path, {})).body.details[0].issue).toBe("AUTHORIZATION_ALREADY_CAPTURED");
    const voided = await kit.api("POST", `/v2/payments/authorizations/${authorization.id}/void`);
    expect(voided.body.details[0].issue).toBe("PREVIOUSLY_CAPTURED");
  });

  it("final_capture closes the authorization after a partial capture", async () => {
    const authorization = await authorized();
    const path = `/v2/payments/authorizations/${authorization.id}/capture`;
    expect((await kit.api("POST", path, { amount: usd("10.00"), final_capture: true })).status).toBe(201);
    expect((await kit.api("GET", `/v2/payments/authorizations/${authorization.id}`)).body.status).toBe("CAPTURED");
  });

  it("void: 204, VOIDED and announced, the order VOIDED; then neither capture nor void again", async () => {
    const authorization = await authorized();
    const orderId = authorization.supplementary_data.related_ids.order_id;
    const voided = await kit.api("POST", `/v2/payments/authorizations/${authorization.id}/void`);
    expect(voided.status).toBe(204);
    expect((await kit.api("GET", `/v2/payments/authorizations/${authorization.id}`)).body.status).toBe("VOIDED");
    expect((await kit.api("GET", `/v2/checkout/orders/${orderId}`)).body.status).toBe("VOIDED");
    await until(
      () => kit.webhooksFor(authorization.id, "PAYMENT.AUTHORIZATION.VOIDED"),
      (found) => found.length > 0,
    );
    const capture = await kit.api("POST", `/v2/payments/authorizations/${authorization.id}/capture`, {});
    expect(capture.body.details[0].issue).toBe("AUTHORIZATION_VOIDED");
    const again = await kit.api("POST", `/v2/payments/authorizations/${authorization.id}/void`, undefined, {
      Prefer: "return=representation",
    });
    expect(again.body.details[0].issue).toBe("PREVIOUSLY_VOIDED");
  });

  it("void again under the same PayPal-Request-Id answers as the first did: 204 and no body, or 200 and the authorization", async () => {
    const path = (authorization: Json) => `/v2/payments/authorizations/${authorization.id}/void`;
    const bare = await authorized();
    const bareId = { "PayPal-Request-Id": `void-${bare.id}` };
    const first = await kit.api("POST", path(bare), undefined, bareId);
    const replay = await kit.api("POST", path(bare), undefined, bareId);
    expect([first.status, first.body, replay.status, replay.body]).toEqual([204, null, 204, null]);

    const full = await authorized();
    const fullId = { "PayPal-Request-Id": `void-${full.id}`, Prefer: "return=representation" };
    const shown = await kit.api("POST", path(full), undefined, fullId);
    const shownAgain = await kit.api("POST", path(full), undefined, fullId);
    expect([shown.status, shownAgain.status]).toEqual([200, 200]);
    expect(shown.body).toMatchObject({ id: full.id, status: "VOIDED" });
    expect(shownAgain.body).toEqual(shown.body);
    // The first answer decides, whatever the replay prefers.
    const minimalAgain = await kit.api("POST", path(full), undefined, { "PayPal-Request-Id": `void-${full.id}` });
    expect([minimalAgain.status, minimalAgain.body.id]).toEqual([200, full.id]);
    const { events } = await kit.admin(`/webhooks?order=${full.supplementary_data.related_ids.order_id}`);
    const voids = events.filter((event: Json) => event.event_type === "PAYMENT.AUTHORIZATION.VOIDED");
    expect(voids).toHaveLength(1);
  });

  it("pending-deny@ at the authorization's capture: PENDING, then DECLINED, and the authorization is open again", async () => {
    const authorization = await authorized("pending-deny@wallet.test");
    const held = await kit.api("POST", `/v2/payments/authorizations/${authorization.id}/capture`, {});
    expect(held.body.status).toBe("PENDING");
    expect((await kit.api("GET", `/v2/payments/authorizations/${authorization.id}`)).body.status).toBe("CAPTURED");
    const [denied] = await until(
      () => kit.webhooksFor(held.body.id, "PAYMENT.CAPTURE.DENIED"),
      (found) => found.length > 0,
    );
    expect(denied?.event.resource).toMatchObject({ id: held.body.id, status: "DECLINED" });
    expect((await kit.api("GET", `/v2/payments/authorizations/${authorization.id}`)).body.status).toBe("CREATED");
  });

  it("pending@ and deny@ show at the authorization's capture", async () => {
    const pending = await authorized("pending@wallet.test");
    const held = await kit.api("POST", `/v2/payments/authorizations/${pending.id}/capture`, {});
    expect(held.body).toMatchObject({
      status: "PENDING",
      supplementary_data: { related_ids: { authorization_id: pending.id } },
    });
    const denied = await authorized("deny@wallet.test");
    expect((await kit.api("POST", `/v2/payments/authorizations/${denied.id}/capture`, {})).body.status).toBe(
      "DECLINED",
    );
    expect((await kit.api("GET", `/v2/payments/authorizations/${denied.id}`)).body.status).toBe("CREATED");
  });
});

describe("refunds", () => {
  it("several partial refunds up to the captured amount, then the rest with an empty body", async () => {
    const capture = await captured();
    const path = `/v2/payments/captures/${capture.id}/refund`;
    const first = await kit.api("POST", path, { amount: usd("10.00"), note_to_payer: "sorry" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "COMPLETED", amount: usd("10.00"), note_to_payer: "sorry" });
    expect((await kit.api("GET", `/v2/payments/captures/${capture.id}`)).body.status).toBe("PARTIALLY_REFUNDED");
    expect((await kit.api("POST", path, { amount: usd("25.50") })).status).toBe(201);
    const over = await kit.api("POST", path, { amount: usd("64.51") });
    expect(over.status).toBe(422);
    expect(over.body.details[0].issue).toBe("REFUND_AMOUNT_EXCEEDED");
    const rest = await kit.api("POST", path);
    expect(rest.body.amount).toEqual(usd("64.50"));
    expect((await kit.api("GET", `/v2/payments/captures/${capture.id}`)).body.status).toBe("REFUNDED");
    expect((await kit.api("POST", path)).body.details[0].issue).toBe("CAPTURE_FULLY_REFUNDED");
    expect((await kit.api("GET", `/v2/payments/refunds/${first.body.id}`)).body).toEqual(first.body);
    const refunds = await until(
      () => kit.webhooksFor(capture.id, "PAYMENT.CAPTURE.REFUNDED"),
      (found) => found.length === 3,
    );
    expect(refunds.every((hook) => hook.verified)).toBe(true);
    const orderId = capture.supplementary_data.related_ids.order_id;
    expect((await kit.admin("/ledger")).entries).toContainEqual(
      expect.objectContaining({ order_id: orderId, captured_minor: 10_000, refunded_minor: 10_000 }),
    );
  });

  it("keeps the refund's own custom_id and invoice_id: in the answer, on GET and in the webhook", async () => {
    const capture = await captured();
    const request = { amount: usd("7.00"), custom_id: "re_gateway_1", invoice_id: "op_refund_1" };
    const answer = await kit.api("POST", `/v2/payments/captures/${capture.id}/refund`, request);
    expect(answer.status).toBe(201);
    const expected = { id: answer.body.id, custom_id: "re_gateway_1", invoice_id: "op_refund_1", amount: usd("7.00") };
    expect(answer.body).toMatchObject(expected);
    expect((await kit.api("GET", `/v2/payments/refunds/${answer.body.id}`)).body).toMatchObject(expected);
    const [hook] = await until(
      () => kit.webhooksFor(answer.body.id, "PAYMENT.CAPTURE.REFUNDED"),
      (found) => found.length > 0,
    );
    expect(hook?.event.resource).toMatchObject(expected);
    const order = await kit.admin(`/orders/${capture.supplementary_data.related_ids.order_id}`);
    expect(order.refunds[0]).toMatchObject({ custom_id: "re_gateway_1", invoice_id: "op_refund_1" });
    // The order's custom_id is not the refund's: one given none has none.
    const plain = await kit.api("POST", `/v2/payments/captures/${capture.id}/refund`, { amount: usd("1.00") });
    expect(plain.body).not.toHaveProperty("custom_id");
  });

  it("refunds again under the same PayPal-Request-Id: 200 with the same refund, booked once", async () => {
    const capture = await captured();
    const headers = { "PayPal-Request-Id": `refund-${capture.id}` };
    const path = `/v2/payments/captures/${capture.id}/refund`;
    const first = await kit.api("POST", path, { amount: usd("5.00") }, headers);
    const retry = await kit.api("POST", path, { amount: usd("5.00") }, headers);
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body.id).toBe(first.body.id);
    const order = await kit.admin(`/orders/${capture.supplementary_data.related_ids.order_id}`);
    expect(order.refunds).toHaveLength(1);
  });

  it("refuses a refund of a declined capture, of a pending one, in another currency", async () => {
    const denied = await kit.approvedOrder("deny@wallet.test");
    const deniedCapture = (await kit.api("POST", `/v2/checkout/orders/${denied}/capture`, {})).body.purchase_units[0]
      .payments.captures[0];
    expect((await kit.api("POST", `/v2/payments/captures/${deniedCapture.id}/refund`)).body.details[0].issue).toBe(
      "REFUND_NOT_ALLOWED",
    );
    const pending = await kit.approvedOrder("pending@wallet.test");
    const pendingCapture = (await kit.api("POST", `/v2/checkout/orders/${pending}/capture`, {})).body.purchase_units[0]
      .payments.captures[0];
    expect((await kit.api("POST", `/v2/payments/captures/${pendingCapture.id}/refund`)).body.details[0].issue).toBe(
      "PENDING_CAPTURE",
    );
    const capture = await captured();
    const euros = await kit.api("POST", `/v2/payments/captures/${capture.id}/refund`, {
      amount: { currency_code: "EUR", value: "1.00" },
    });
    expect(euros.body.details[0].issue).toBe("REFUND_CAPTURE_CURRENCY_MISMATCH");
    expect((await kit.api("GET", "/v2/payments/refunds/0VF52814937998046")).status).toBe(404);
  });
});
