import { readFileSync } from "node:fs";
import { join } from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { Ledger } from "../../simulators/aggregator/ledger.js";
import {
  AMEX,
  cardPayment,
  caught,
  type Delivery,
  SECRET_KEY,
  until,
  useAggregatorSimulator,
  WEBHOOK_SECRET,
} from "../support/aggregator-kit.js";

/**
 * The Stripe-style aggregator simulator driven by the official `stripe` client, pointed at it by
 * `host`, `port` and `protocol` alone: what works here works against the real service.
 */
const kit = useAggregatorSimulator();

describe("the aggregator simulator, through the official stripe client", () => {
  it("authorizes an Amex card, captures part of it once, refunds part, and its books agree", async () => {
    const authorized = await kit.stripe.paymentIntents.create(
      cardPayment(AMEX, { capture_method: "manual", metadata: { attempt: "att_1" } }),
    );
    expect(authorized).toMatchObject({
      object: "payment_intent",
      status: "requires_capture",
      amount: 5000,
      amount_capturable: 5000,
      amount_received: 0,
      currency: "usd",
      metadata: { attempt: "att_1" },
      livemode: false,
    });
    expect(authorized.id).toMatch(/^pi_/);
    expect(authorized.latest_charge).toMatch(/^ch_/);

    const captured = await kit.stripe.paymentIntents.capture(authorized.id, { amount_to_capture: 3000 });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 3000, amount_capturable: 0 });
    const again = await caught(kit.stripe.paymentIntents.capture(authorized.id, { amount_to_capture: 1000 }));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again.code).toBe("payment_intent_unexpected_state");

    const refund = await kit.stripe.refunds.create({ payment_intent: authorized.id, amount: 1000 });
    expect(refund).toMatchObject({
      object: "refund",
      amount: 1000,
      status: "succeeded",
      payment_intent: authorized.id,
    });
    expect(refund.id).toMatch(/^re_/);
    const tooMuch = await caught(kit.stripe.refunds.create({ payment_intent: authorized.id, amount: 2001 }));
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ code: "amount_too_large", param: "amount" });
    expect((await kit.stripe.refunds.retrieve(refund.id)).amount).toBe(1000);

    const read = await kit.stripe.paymentIntents.retrieve(authorized.id, { expand: ["latest_charge"] });
    const charge = read.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ amount_captured: 3000, amount_refunded: 1000, captured: true, refunded: false });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: "amex", last4: "0005" });

    const entry = await kit.ledgerEntry(authorized.id);
    expect(entry).toMatchObject({
      status: "succeeded",
      authorizedAmount: 5000,
      capturedAmount: 3000,
      refundedAmount: 1000,
      card: { brand: "amex", last4: "0005" },
      refunds: [{ id: refund.id, amount: 1000 }],
    });
    // The books survive a restart, and neither they nor the journal ever hold the card number or code.
    const journal = join(kit.dataDir, "aggregator-ledger.ndjson");
    expect(new Ledger(journal).get(authorized.id)).toEqual(entry);
    expect(readFileSync(journal, "utf8")).not.toMatch(/378282246310005|"1234"/);
  });

  it.each([
    ["4000000000000002", "card_declined", "generic_decline"],
    ["4000000000009995", "card_declined", "insufficient_funds"],
    ["4000000000009987", "card_declined", "lost_card"],
    ["4000000000009979", "card_declined", "stolen_card"],
    ["4000000000000069", "expired_card", undefined],
    ["4000000000000127", "incorrect_cvc", undefined],
    ["4000000000000119", "processing_error", undefined],
  ])("declines %s with code %s and decline_code %s on a StripeCardError", async (number, code, declineCode) => {
    const error = await caught(kit.stripe.paymentIntents.create(cardPayment(number)));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, type: "StripeCardError", code });
    expect(error.decline_code || undefined).toBe(declineCode);
    expect(error.message).not.toContain(number);
    const intent = error.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ status: "requires_payment_method", amount_capturable: 0 });
    expect(intent.last_payment_error).toMatchObject({ code, charge: error.charge });
    expect(await kit.ledgerEntry(intent.id)).toMatchObject({ authorizedAmount: 0, lastError: { code } });
  });

  it("approves the other test brands and any Luhn-valid number, and refuses one failing Luhn before booking", async () => {
    for (const number of ["4242424242424242", "5555555555554444", "6011111111111117", "3566002020360505"]) {
      expect((await kit.stripe.paymentIntents.create(cardPayment(number))).status).toBe("succeeded");
    }
    expect((await kit.stripe.paymentIntents.create(cardPayment("4111111111111111"))).amount_received).toBe(5000);
    const error = await caught(kit.stripe.paymentIntents.create(cardPayment("4242424242424241")));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ code: "incorrect_number", param: "payment_method_data[card][number]" });
    expect(error.payment_intent).toBeUndefined();
  });

  it("refuses bad parameters as Stripe does, naming each in bracket notation, without repeating the card", async () => {
    const unknown = await caught(kit.stripe.paymentIntents.create({ ...cardPayment(AMEX), colour: "red" } as never));
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "colour" });
    const missing = await caught(kit.stripe.paymentIntents.create({ currency: "usd" } as never));
    expect(missing).toMatchObject({ code: "parameter_missing", param: "amount" });
    const shortCode = cardPayment(AMEX);
    (shortCode.payment_method_data as unknown as { card: { cvc: string } }).card.cvc = "123";
    const cvc = await caught(kit.stripe.paymentIntents.create(shortCode));
    expect(cvc).toMatchObject({ statusCode: 402, code: "invalid_cvc", param: "payment_method_data[card][cvc]" });
    const garbage = await caught(kit.stripe.paymentIntents.create(cardPayment("4242 4242 4242 424X")));
    expect(garbage).toMatchObject({ code: "invalid_number" });
    expect(JSON.stringify(garbage.raw)).not.toContain("424X");
  });

  it("replays the first answer to a retried request, and refuses the key with other parameters", async () => {
    const first = await kit.stripe.paymentIntents.create(cardPayment("4242424242424242"), {
      idempotencyKey: "order-7",
    });
    const replay = await kit.stripe.paymentIntents.create(cardPayment("4242424242424242"), {
      idempotencyKey: "order-7",
    });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    // A decline ran too (the card was tried): its retry gets the same decline, not a second try.
    const declined = await caught(
      kit.stripe.paymentIntents.create(cardPayment("4000000000000002"), { idempotencyKey: "order-8" }),
    );
    const again = await caught(
      kit.stripe.paymentIntents.create(cardPayment("4000000000000002"), { idempotencyKey: "order-8" }),
    );
    expect(again).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(again.payment_intent.id).toBe(declined.payment_intent.id);
    expect(again.headers["idempotent-replayed"]).toBe("true");

    const mismatch = await caught(
      kit.stripe.paymentIntents.create(cardPayment("4242424242424242", { amount: 6000 }), {
        idempotencyKey: "order-7",
      }),
    );
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch.statusCode).toBe(400);
    const booked = kit.simulator.ledger.all().filter((entry) => entry.amount === 6000);
    expect(booked).toEqual([]);
  });

  it("refuses a wrong key with a 401, and takes the right one as HTTP Basic too", async () => {
    const error = await caught(kit.client("sk_test_not_the_simulator_key").paymentIntents.retrieve("pi_x"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.message).not.toContain("not_the_simulator_key");
    const basic = await fetch(`${kit.simulator.url}/v1/payment_intents`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${SECRET_KEY}:`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "amount=100&currency=eur&metadata[order]=A1",
    });
    expect(basic.status).toBe(200);
    expect(await basic.json()).toMatchObject({ status: "requires_payment_method", metadata: { order: "A1" } });
    expect(basic.headers.get("Request-Id")).toMatch(/^req_/);
    const missing = await fetch(`${kit.simulator.url}/v1/payment_intents/pi_x`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("answers http_500 before booking anything, and the client raises a StripeAPIError", async () => {
    await kit.setFaults({ mode: "http_500" });
    const before = kit.simulator.ledger.all().length;
    const error = await caught(
      kit.stripe.paymentIntents.create(cardPayment("4242424242424242"), { idempotencyKey: "k-500" }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    expect(kit.simulator.ledger.all().length).toBe(before);
    await kit.setFaults({ mode: "none" });
    const retried = await kit.stripe.paymentIntents.create(cardPayment("4242424242424242"), {
      idempotencyKey: "k-500",
    });
    expect(retried.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("books a request it never answers: the client times out, and a retry with the same key learns the outcome", async () => {
    await kit.setFaults({ mode: "never_answer", routes: ["payment_intents.create"] });
    const before = kit.simulator.ledger.all().length;
    const error = await caught(
      kit.client(SECRET_KEY, { timeout: 300 }).paymentIntents.create(cardPayment(AMEX), { idempotencyKey: "k-lost" }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(error.message).toContain("timeout");
    expect(kit.simulator.ledger.all().length).toBe(before + 1);
    await kit.setFaults({ mode: "none" });
    const resolved = await kit.stripe.paymentIntents.create(cardPayment(AMEX), { idempotencyKey: "k-lost" });
    expect(resolved.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(resolved.id).toBe(kit.simulator.ledger.all().at(-1)?.id);
  });

  it("refuses connections while `refuse` is on, and listens on the same port again after", async () => {
    await kit.setFaults({ mode: "refuse" });
    const error = await caught(kit.stripe.paymentIntents.retrieve("pi_x"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await kit.setFaults({ mode: "none" });
    const health = (await (await fetch(`${kit.simulator.adminUrl}/health`)).json()) as Record<string, any>;
    expect(health).toMatchObject({ status: "ok", port: kit.simulator.port, faults: { mode: "none" } });
    expect((await caught(kit.stripe.paymentIntents.retrieve("pi_x"))).statusCode).toBe(404);
  });

  it("signs its webhooks so kit.stripe.webhooks.constructEvent accepts them, retrying a refused delivery", async () => {
    const intent = await kit.stripe.paymentIntents.create(
      cardPayment("5555555555554444", { capture_method: "manual" }),
    );
    await kit.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "abandoned" });
    const declined = await caught(kit.stripe.paymentIntents.create(cardPayment("4000000000009995")));
    const sale = await kit.stripe.paymentIntents.create(cardPayment("3566002020360505"));
    await kit.stripe.refunds.create({ payment_intent: sale.id, amount: 1200 });
    const ids = [intent.id, declined.payment_intent.id, sale.id];
    const ours = (delivery: Delivery) => {
      const object = JSON.parse(delivery.body).data.object;
      return ids.includes(object.id) || ids.includes(object.payment_intent);
    };
    await until(() => kit.deliveries.filter(ours).length === 5);

    const events = kit.deliveries
      .filter(ours)
      .map((delivery) => kit.stripe.webhooks.constructEvent(delivery.body, delivery.signature, WEBHOOK_SECRET));
    expect(events.map((event) => event.type).sort()).toEqual([
      "charge.refunded",
      "payment_intent.amount_capturable_updated",
      "payment_intent.canceled",
      "payment_intent.payment_failed",
      "payment_intent.succeeded",
    ]);
    const canceled = events.find((event) => event.type === "payment_intent.canceled");
    expect(canceled?.data.object).toMatchObject({
      id: intent.id,
      status: "canceled",
      cancellation_reason: "abandoned",
    });
    const failed = events.find((event) => event.type === "payment_intent.payment_failed");
    expect(failed?.data.object).toMatchObject({ last_payment_error: { decline_code: "insufficient_funds" } });
    const refunded = events.find((event) => event.type === "charge.refunded");
    expect(refunded?.data.object).toMatchObject({ object: "charge", payment_intent: sale.id, amount_refunded: 1200 });

    const delivery = kit.deliveries.find(ours) as Delivery;
    expect(() =>
      kit.stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_someone_else_entirely"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const logged = (await (await fetch(`${kit.simulator.adminUrl}/events`)).json()) as {
      events: Record<string, any>[];
    };
    expect(logged.events.find((event) => event.type === "payment_intent.canceled")?.delivery).toMatchObject({
      status: "delivered",
      attempts: 2,
      last_status: 200,
    });
  });
});
