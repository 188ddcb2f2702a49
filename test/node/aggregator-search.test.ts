import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { AMEX, cardPayment, caught, SECRET_KEY, useAggregatorSimulator } from "../support/aggregator-kit.js";

/**
 * Stripe's PaymentIntent search on the aggregator simulator, through the official client: what
 * the vault's connector uses to find an authorization whose answer was lost.
 */
const kit = useAggregatorSimulator();

describe("PaymentIntent search, in Stripe's query language", () => {
  /** A tag no other test's intents carry: the books are shared across this file. */
  const tag = () => `op_${randomUUID().replaceAll("-", "")}`;

  it("finds an intent by its metadata['operation_id'], even one whose create answer was lost", async () => {
    const [lostKey, otherKey] = [tag(), tag()];
    await kit.setFaults({ mode: "never_answer", routes: ["payment_intents.create"] });
    const lost = await caught(
      kit
        .client(SECRET_KEY, { timeout: 300 })
        .paymentIntents.create(cardPayment(AMEX, { capture_method: "manual", metadata: { operation_id: lostKey } })),
    );
    expect(lost).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await kit.setFaults({ mode: "none" });
    const other = await kit.stripe.paymentIntents.create(cardPayment(AMEX, { metadata: { operation_id: otherKey } }));

    const found = await kit.stripe.paymentIntents.search({ query: `metadata['operation_id']:'${lostKey}'`, limit: 1 });
    expect(found).toMatchObject({ object: "search_result", url: "/v1/payment_intents/search", has_more: false });
    expect(found.next_page).toBeNull();
    expect(found.data).toHaveLength(1);
    expect(found.data[0]).toMatchObject({
      object: "payment_intent",
      status: "requires_capture",
      amount_capturable: 5000,
      metadata: { operation_id: lostKey },
    });
    expect(found.data[0]?.id).toBe(
      kit.simulator.ledger.all().find((entry) => entry.metadata.operation_id === lostKey)?.id,
    );
    const either = await kit.stripe.paymentIntents.search({
      query: `metadata["operation_id"]:"${otherKey}" or metadata['operation_id']:'${lostKey}'`,
    });
    expect(either.data.map((intent) => intent.id)).toEqual([other.id, found.data[0]?.id]);
    const none = await kit.stripe.paymentIntents.search({ query: `metadata['operation_id']:'${tag()}'` });
    expect(none).toMatchObject({ data: [], has_more: false, next_page: null });
  });

  it("filters by status:'requires_capture', newest first, and negates a clause with -", async () => {
    const batch = tag();
    const made: Stripe.PaymentIntent[] = [];
    for (const capture_method of ["manual", "automatic", "manual"] as const) {
      made.push(await kit.stripe.paymentIntents.create(cardPayment(AMEX, { capture_method, metadata: { batch } })));
    }
    const held = await kit.stripe.paymentIntents.search({
      query: `status:'requires_capture' AND metadata['batch']:'${batch}'`,
    });
    expect(held.data.map((intent) => intent.id)).toEqual([made[2]?.id, made[0]?.id]);
    const taken = await kit.stripe.paymentIntents.search({
      query: `-status:'requires_capture' metadata['batch']:'${batch}'`,
    });
    expect(taken.data.map((intent) => intent.id)).toEqual([made[1]?.id]);
    const everyHold = await kit.stripe.paymentIntents.search({ query: "status:'requires_capture'", limit: 100 });
    expect(everyHold.data.length).toBeGreaterThanOrEqual(2);
    expect(everyHold.data.every((intent) => intent.status === "requires_capture")).toBe(true);
  });

  it("pages with limit and the next_page cursor, and the client's auto-pagination follows it", async () => {
    const batch = tag();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await kit.stripe.paymentIntents.create({ amount: 100 + i, currency: "eur", metadata: { batch } })).id);
    }
    const query = `metadata['batch']:'${batch}'`;
    const pages: Stripe.ApiSearchResult<Stripe.PaymentIntent>[] = [];
    let page: string | undefined;
    do {
      const answer = await kit.stripe.paymentIntents.search({ query, limit: 2, ...(page ? { page } : {}) });
      pages.push(answer);
      page = answer.next_page ?? undefined;
    } while (page);
    expect(pages.map((answer) => [answer.data.length, answer.has_more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
    expect(pages.flatMap((answer) => answer.data.map((intent) => intent.id))).toEqual([...made].reverse());
    const all = await kit.stripe.paymentIntents.search({ query, limit: 2 }).autoPagingToArray({ limit: 10 });
    expect(all.map((intent) => intent.id)).toEqual([...made].reverse());

    const elsewhere = await caught(
      kit.stripe.paymentIntents.search({ query: "status:'succeeded'", page: pages[0]?.next_page as string }),
    );
    expect(elsewhere).toMatchObject({ statusCode: 400, param: "page" });
    const tooMany = await caught(kit.stripe.paymentIntents.search({ query, limit: 101 }));
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
    const error = await caught(kit.stripe.paymentIntents.search({ query }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", param: "query" });
  });

  it("is a read route: money-route faults leave it alone, a fault switched on for it does not", async () => {
    const key = tag();
    await kit.stripe.paymentIntents.create({ amount: 700, currency: "eur", metadata: { operation_id: key } });
    await kit.setFaults({ mode: "http_500", routes: ["payment_intents.create"] });
    const query = `metadata['operation_id']:'${key}'`;
    expect((await kit.stripe.paymentIntents.search({ query })).data).toHaveLength(1);
    await kit.setFaults({ mode: "http_500", routes: ["payment_intents.search"] });
    const error = await caught(kit.stripe.paymentIntents.search({ query }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
  });
});
