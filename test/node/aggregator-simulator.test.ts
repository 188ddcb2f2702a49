import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningAggregator, startAggregatorSimulator } from "../../simulators/aggregator/aggregator-simulator.js";
import { Ledger } from "../../simulators/aggregator/ledger.js";

/**
 * The Stripe-style aggregator simulator driven by the official `stripe` client, pointed at it by
 * `host`, `port` and `protocol` alone: what works here works against the real service.
 */
const SECRET_KEY = "sk_test_aggregator_simulator_test_key";
const WEBHOOK_SECRET = "whsec_aggregator_simulator_test_secret";
const AMEX = "378282246310005";

interface Delivery {
  body: string;
  signature: string;
}

let simulator: RunningAggregator;
let stripe: Stripe;
let dataDir: string;
let receiver: Server;
const deliveries: Delivery[] = [];
/** The receiver answers 500 to the first delivery of each event, so every event is retried once. */
const refusedOnce = new Set<string>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "aggregator-"));
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const eventId = (JSON.parse(body) as { id: string }).id;
      if (!refusedOnce.has(eventId)) {
        refusedOnce.add(eventId);
        response.writeHead(500).end();
        return;
      }
      deliveries.push({ body, signature: String(request.headers["stripe-signature"]) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  const receiverPort = typeof address === "object" && address ? address.port : 0;
  simulator = await startAggregatorSimulator({
    port: 0,
    adminPort: 0,
    dataDir,
    secretKey: SECRET_KEY,
    webhook: { url: `http://127.0.0.1:${receiverPort}/stripe`, secret: WEBHOOK_SECRET },
    webhookRetryMs: [20, 50],
  });
  stripe = client(SECRET_KEY);
});

afterAll(async () => {
  await simulator?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await setFaults({ mode: "none", routes: "all" });
});

function client(key: string, options: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe(key, {
    host: "127.0.0.1",
    port: simulator.port,
    protocol: "http",
    maxNetworkRetries: 0,
    ...options,
  });
}

/** A confirmed card PaymentIntent. The client's types leave raw card details out; the wire takes them. */
function cardPayment(number: string, extra: Record<string, unknown> = {}): Stripe.PaymentIntentCreateParams {
  return {
    amount: 5000,
    currency: "usd",
    confirm: true,
    // Amex prints a 4-digit code, the others 3.
    payment_method_data: {
      type: "card",
      card: { number, exp_month: 12, exp_year: 2034, cvc: number === AMEX ? "1234" : "123" },
    },
    ...extra,
  } as Stripe.PaymentIntentCreateParams;
}

async function setFaults(body: object): Promise<void> {
  const response = await fetch(`${simulator.adminUrl}/faults`, { method: "PUT", body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

async function ledgerEntry(id: string): Promise<Record<string, any> | undefined> {
  const response = await fetch(`${simulator.adminUrl}/ledger?payment_intent=${id}`);
  return ((await response.json()) as { entries: Record<string, any>[] }).entries[0];
}

async function caught(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => expect.fail("expected the call to fail"),
    (error: unknown) => error,
  );
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the aggregator simulator, through the official stripe client", () => {
  it("authorizes an Amex card, captures part of it once, refunds part, and its books agree", async () => {
    const authorized = await stripe.paymentIntents.create(
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

    const captured = await stripe.paymentIntents.capture(authorized.id, { amount_to_capture: 3000 });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 3000, amount_capturable: 0 });
    const again = await caught(stripe.paymentIntents.capture(authorized.id, { amount_to_capture: 1000 }));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again.code).toBe("payment_intent_unexpected_state");

    const refund = await stripe.refunds.create({ payment_intent: authorized.id, amount: 1000 });
    expect(refund).toMatchObject({
      object: "refund",
      amount: 1000,
      status: "succeeded",
      payment_intent: authorized.id,
    });
    expect(refund.id).toMatch(/^re_/);
    const tooMuch = await caught(stripe.refunds.create({ payment_intent: authorized.id, amount: 2001 }));
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ code: "amount_too_large", param: "amount" });
    expect((await stripe.refunds.retrieve(refund.id)).amount).toBe(1000);

    const read = await stripe.paymentIntents.retrieve(authorized.id, { expand: ["latest_charge"] });
    const charge = read.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ amount_captured: 3000, amount_refunded: 1000, captured: true, refunded: false });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: "amex", last4: "0005" });

    const entry = await ledgerEntry(authorized.id);
    expect(entry).toMatchObject({
      status: "succeeded",
      authorizedAmount: 5000,
      capturedAmount: 3000,
      refundedAmount: 1000,
      card: { brand: "amex", last4: "0005" },
      refunds: [{ id: refund.id, amount: 1000 }],
    });
    // The books survive a restart, and neither they nor the journal ever hold the card number or code.
    const journal = join(dataDir, "aggregator-ledger.ndjson");
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
    const error = await caught(stripe.paymentIntents.create(cardPayment(number)));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, type: "StripeCardError", code });
    expect(error.decline_code || undefined).toBe(declineCode);
    expect(error.message).not.toContain(number);
    const intent = error.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ status: "requires_payment_method", amount_capturable: 0 });
    expect(intent.last_payment_error).toMatchObject({ code, charge: error.charge });
    expect(await ledgerEntry(intent.id)).toMatchObject({ authorizedAmount: 0, lastError: { code } });
  });

  it("approves the other test brands and any Luhn-valid number, and refuses one failing Luhn before booking", async () => {
    for (const number of ["4242424242424242", "5555555555554444", "6011111111111117", "3566002020360505"]) {
      expect((await stripe.paymentIntents.create(cardPayment(number))).status).toBe("succeeded");
    }
    expect((await stripe.paymentIntents.create(cardPayment("4111111111111111"))).amount_received).toBe(5000);
    const error = await caught(stripe.paymentIntents.create(cardPayment("4242424242424241")));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ code: "incorrect_number", param: "payment_method_data[card][number]" });
    expect(error.payment_intent).toBeUndefined();
  });

  it("refuses bad parameters as Stripe does, naming each in bracket notation, without repeating the card", async () => {
    const unknown = await caught(stripe.paymentIntents.create({ ...cardPayment(AMEX), colour: "red" } as never));
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "colour" });
    const missing = await caught(stripe.paymentIntents.create({ currency: "usd" } as never));
    expect(missing).toMatchObject({ code: "parameter_missing", param: "amount" });
    const shortCode = cardPayment(AMEX);
    (shortCode.payment_method_data as unknown as { card: { cvc: string } }).card.cvc = "123";
    const cvc = await caught(stripe.paymentIntents.create(shortCode));
    expect(cvc).toMatchObject({ statusCode: 402, code: "invalid_cvc", param: "payment_method_data[card][cvc]" });
    const garbage = await caught(stripe.paymentIntents.create(cardPayment("4242 4242 4242 424X")));
    expect(garbage).toMatchObject({ code: "invalid_number" });
    expect(JSON.stringify(garbage.raw)).not.toContain("424X");
  });

  it("replays the first answer to a retried request, and refuses the key with other parameters", async () => {
    const first = await stripe.paymentIntents.create(cardPayment("4242424242424242"), { idempotencyKey: "order-7" });
    const replay = await stripe.paymentIntents.create(cardPayment("4242424242424242"), { idempotencyKey: "order-7" });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    // A decline ran too (the card was tried): its retry gets the same decline, not a second try.
    const declined = await caught(
      stripe.paymentIntents.create(cardPayment("4000000000000002"), { idempotencyKey: "order-8" }),
    );
    const again = await caught(
      stripe.paymentIntents.create(cardPayment("4000000000000002"), { idempotencyKey: "order-8" }),
    );
    expect(again).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(again.payment_intent.id).toBe(declined.payment_intent.id);
    expect(again.headers["idempotent-replayed"]).toBe("true");

    const mismatch = await caught(
      stripe.paymentIntents.create(cardPayment("4242424242424242", { amount: 6000 }), { idempotencyKey: "order-7" }),
    );
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch.statusCode).toBe(400);
    const booked = simulator.ledger.all().filter((entry) => entry.amount === 6000);
    expect(booked).toEqual([]);
  });

  it("refuses a wrong key with a 401, and takes the right one as HTTP Basic too", async () => {
    const error = await caught(client("sk_test_not_the_simulator_key").paymentIntents.retrieve("pi_x"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.message).not.toContain("not_the_simulator_key");
    const basic = await fetch(`${simulator.url}/v1/payment_intents`, {
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
    const missing = await fetch(`${simulator.url}/v1/payment_intents/pi_x`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("answers http_500 before booking anything, and the client raises a StripeAPIError", async () => {
    await setFaults({ mode: "http_500" });
    const before = simulator.ledger.all().length;
    const error = await caught(
      stripe.paymentIntents.create(cardPayment("4242424242424242"), { idempotencyKey: "k-500" }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    expect(simulator.ledger.all().length).toBe(before);
    await setFaults({ mode: "none" });
    const retried = await stripe.paymentIntents.create(cardPayment("4242424242424242"), { idempotencyKey: "k-500" });
    expect(retried.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("books a request it never answers: the client times out, and a retry with the same key learns the outcome", async () => {
    await setFaults({ mode: "never_answer", routes: ["payment_intents.create"] });
    const before = simulator.ledger.all().length;
    const error = await caught(
      client(SECRET_KEY, { timeout: 300 }).paymentIntents.create(cardPayment(AMEX), { idempotencyKey: "k-lost" }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(error.message).toContain("timeout");
    expect(simulator.ledger.all().length).toBe(before + 1);
    await setFaults({ mode: "none" });
    const resolved = await stripe.paymentIntents.create(cardPayment(AMEX), { idempotencyKey: "k-lost" });
    expect(resolved.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(resolved.id).toBe(simulator.ledger.all().at(-1)?.id);
  });

  it("refuses connections while `refuse` is on, and listens on the same port again after", async () => {
    await setFaults({ mode: "refuse" });
    const error = await caught(stripe.paymentIntents.retrieve("pi_x"));
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await setFaults({ mode: "none" });
    const health = (await (await fetch(`${simulator.adminUrl}/health`)).json()) as Record<string, any>;
    expect(health).toMatchObject({ status: "ok", port: simulator.port, faults: { mode: "none" } });
    expect((await caught(stripe.paymentIntents.retrieve("pi_x"))).statusCode).toBe(404);
  });

  it("signs its webhooks so stripe.webhooks.constructEvent accepts them, retrying a refused delivery", async () => {
    const intent = await stripe.paymentIntents.create(cardPayment("5555555555554444", { capture_method: "manual" }));
    await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "abandoned" });
    const declined = await caught(stripe.paymentIntents.create(cardPayment("4000000000009995")));
    const sale = await stripe.paymentIntents.create(cardPayment("3566002020360505"));
    await stripe.refunds.create({ payment_intent: sale.id, amount: 1200 });
    const ids = [intent.id, declined.payment_intent.id, sale.id];
    const ours = (delivery: Delivery) => {
      const object = JSON.parse(delivery.body).data.object;
      return ids.includes(object.id) || ids.includes(object.payment_intent);
    };
    await until(() => deliveries.filter(ours).length === 5);

    const events = deliveries
      .filter(ours)
      .map((delivery) => stripe.webhooks.constructEvent(delivery.body, delivery.signature, WEBHOOK_SECRET));
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

    const delivery = deliveries.find(ours) as Delivery;
    expect(() =>
      stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_someone_else_entirely"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const logged = (await (await fetch(`${simulator.adminUrl}/events`)).json()) as { events: Record<string, any>[] };
    expect(logged.events.find((event) => event.type === "payment_intent.canceled")?.delivery).toMatchObject({
      status: "delivered",
      attempts: 2,
      last_status: 200,
    });
  });
});

describe("PaymentIntent search, in Stripe's query language", () => {
  /** A tag no other test's intents carry: the books are shared across this file. */
  const tag = () => `op_${randomUUID().replaceAll("-", "")}`;

  it("finds an intent by its metadata['operation_id'], even one whose create answer was lost", async () => {
    const [lostKey, otherKey] = [tag(), tag()];
    await setFaults({ mode: "never_answer", routes: ["payment_intents.create"] });
    const lost = await caught(
      client(SECRET_KEY, { timeout: 300 }).paymentIntents.create(
        cardPayment(AMEX, { capture_method: "manual", metadata: { operation_id: lostKey } }),
      ),
    );
    expect(lost).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await setFaults({ mode: "none" });
    const other = await stripe.paymentIntents.create(cardPayment(AMEX, { metadata: { operation_id: otherKey } }));

    const found = await stripe.paymentIntents.search({ query: `metadata['operation_id']:'${lostKey}'`, limit: 1 });
    expect(found).toMatchObject({ object: "search_result", url: "/v1/payment_intents/search", has_more: false });
    expect(found.next_page).toBeNull();
    expect(found.data).toHaveLength(1);
    expect(found.data[0]).toMatchObject({
      object: "payment_intent",
      status: "requires_capture",
      amount_capturable: 5000,
      metadata: { operation_id: lostKey },
    });
    expect(found.data[0]?.id).toBe(simulator.ledger.all().find((entry) => entry.metadata.operation_id === lostKey)?.id);
    const either = await stripe.paymentIntents.search({
      query: `metadata["operation_id"]:"${otherKey}" or metadata['operation_id']:'${lostKey}'`,
    });
    expect(either.data.map((intent) => intent.id)).toEqual([other.id, found.data[0]?.id]);
    const none = await stripe.paymentIntents.search({ query: `metadata['operation_id']:'${tag()}'` });
    expect(none).toMatchObject({ data: [], has_more: false, next_page: null });
  });

  it("filters by status:'requires_capture', newest first, and negates a clause with -", async () => {
    const batch = tag();
    const made: Stripe.PaymentIntent[] = [];
    for (const capture_method of ["manual", "automatic", "manual"] as const) {
      made.push(await stripe.paymentIntents.create(cardPayment(AMEX, { capture_method, metadata: { batch } })));
    }
    const held = await stripe.paymentIntents.search({
      query: `status:'requires_capture' AND metadata['batch']:'${batch}'`,
    });
    expect(held.data.map((intent) => intent.id)).toEqual([made[2]?.id, made[0]?.id]);
    const taken = await stripe.paymentIntents.search({
      query: `-status:'requires_capture' metadata['batch']:'${batch}'`,
    });
    expect(taken.data.map((intent) => intent.id)).toEqual([made[1]?.id]);
    const everyHold = await stripe.paymentIntents.search({ query: "status:'requires_capture'", limit: 100 });
    expect(everyHold.data.length).toBeGreaterThanOrEqual(2);
    expect(everyHold.data.every((intent) => intent.status === "requires_capture")).toBe(true);
  });

  it("pages with limit and the next_page cursor, and the client's auto-pagination follows it", async () => {
    const batch = tag();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await stripe.paymentIntents.create({ amount: 100 + i, currency: "eur", metadata: { batch } })).id);
    }
    const query = `metadata['batch']:'${batch}'`;
    const pages: Stripe.ApiSearchResult<Stripe.PaymentIntent>[] = [];
    let page: string | undefined;
    do {
      const answer = await stripe.paymentIntents.search({ query, limit: 2, ...(page ? { page } : {}) });
      pages.push(answer);
      page = answer.next_page ?? undefined;
    } while (page);
    expect(pages.map((answer) => [answer.data.length, answer.has_more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
    expect(pages.flatMap((answer) => answer.data.map((intent) => intent.id))).toEqual([...made].reverse());
    const all = await stripe.paymentIntents.search({ query, limit: 2 }).autoPagingToArray({ limit: 10 });
    expect(all.map((intent) => intent.id)).toEqual([...made].reverse());

    const elsewhere = await caught(
      stripe.paymentIntents.search({ query: "status:'succeeded'", page: pages[0]?.next_page as string }),
    );
    expect(elsewhere).toMatchObject({ statusCode: 400, param: "page" });
    const tooMany = await caught(stripe.paymentIntents.search({ query, limit: 101 }));
    expect(tooMany).toMatchObject({ statusCode: 400, param: "limit" });
  });

  it.each([
    ["an unsupported field", "amount>1000"],
    ["an unquoted value", "status:succeeded"],
    ["AND mixed with OR", "status:'succeeded' AND status:'canceled' OR status:'requires_capture'"],
    ["a dangling keyword", "status:'succeeded' AND"],
    ["more than 10 clauses", Array.from({ length: 11 }, () => "status:'succeeded'").join(" OR ")],
    ["an empty query", " "],
  ])("refuses a query with %s as a 400 naming query", async (_, query) => {
    const error = await caught(stripe.paymentIntents.search({ query }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", param: "query" });
  });

  it("is a read route: money-route faults leave it alone, a fault switched on for it does not", async () => {
    const key = tag();
    await stripe.paymentIntents.create({ amount: 700, currency: "eur", metadata: { operation_id: key } });
    await setFaults({ mode: "http_500", routes: ["payment_intents.create"] });
    const query = `metadata['operation_id']:'${key}'`;
    expect((await stripe.paymentIntents.search({ query })).data).toHaveLength(1);
    await setFaults({ mode: "http_500", routes: ["payment_intents.search"] });
    const error = await caught(stripe.paymentIntents.search({ query }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
  });
});
