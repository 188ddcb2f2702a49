import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BUDGETS } from "../../common/timeout-budgets.js";
import { type InternalApiKit, operationId, startInternalApiKit } from "../internal/internal-api.test-kit.js";
import { findOperation, type Intent, markSent, recordIntent } from "./operation-journal.js";

let kit: InternalApiKit;
const entryOf = (reference: string) => kit.simulator.ledger.findByRrn(reference.slice(0, 12));
const db = () => kit.harness.pool.db;
/** Test mode's acquirer A, where the kit's Visa cards go. */
const acquirerA = () => {
  const connector = kit.api.internal.links.connector("acquirer_a", false);
  if (!connector) throw new Error("acquirer A is not configured in test mode");
  return connector;
};
const context = { operationId: "op_test_reference", brand: null };
const visa = { ...context, brand: "visa" as const };

/** Makes every open row due now, as if its backoff had passed. */
const dueNow = () =>
  db().execute(sql`update network_operations set next_attempt_at = now() where state in ('sent', 'unknown')`);

/** A row as a vault leaves it when it dies after marking it sent and before (or while) sending it. */
async function diedAfterMarkingSent(intent: Omit<Intent, "id" | "deadline" | "paymentId" | "livemode" | "card">) {
  const id = operationId();
  const full: Intent = {
    ...intent,
    id,
    paymentId: "pay_test",
    livemode: false,
    card: null,
    deadline: new Date(Date.now() + 25_000),
  };
  expect(await recordIntent(db(), full, BUDGETS.vaultReplyMarginMs)).toBe(true);
  expect(await markSent(db(), id, BUDGETS.vaultReplyMarginMs, 0)).toBe(true);
  return id;
}

beforeAll(async () => {
  kit = await startInternalApiKit();
});

afterEach(async () => {
  await kit.setFault({ mode: "none", messages: ["0100", "0200", "0220"] });
});

afterAll(async () => {
  await kit?.stop();
});

describe("the operation resolver", () => {
  it("resumes owed work after a restart: a new vault on the same journal finishes it", async () => {
    // The first vault: its resolver never runs (it is "stopped" the moment the answer is lost).
    const first = kit.open();
    await kit.setFault({ mode: "never_answer", messages: ["0100", "0400"] });
    const id = operationId();
    const auth = await first.authorize(await kit.tokenize(), { operation_id: id });
    expect(auth).toMatchObject({ outcome: "unknown", resolution: "reversal" });
    await first.internal.resolver.stop();
    await first.internal.links.close();
    // A resolver that tries while reversals go unanswered keeps the work owed, with backoff.
    const flaky = kit.open();
    await dueNow();
    expect(await flaky.internal.resolver.tick()).toBe(1);
    expect(await findOperation(db(), id)).toMatchObject({ state: "unknown", attempts: 1 });
    expect((await findOperation(db(), id))?.lastError).toMatch(/reversal unknown/);
    await flaky.internal.resolver.stop();
    await flaky.internal.links.close();

    await kit.setFault({ mode: "none" });
    const restarted = kit.open();
    restarted.internal.resolver.start();
    expect(await restarted.settled(id)).toMatchObject({ outcome: "no_effect", card: { last4: "4242" } });
    expect(entryOf(auth.processor_reference)).toMatchObject({ status: "reversed" });
    await restarted.internal.resolver.stop();
  });

  it("takes over a capture left sent by a vault that died, repeating the advice (0221) instead of reversing", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(), { amount: 4_000 });
    expect(auth.outcome).toBe("approved");
    const connector = acquirerA();
    const id = await diedAfterMarkingSent({
      kind: "completion",
      processor: "acquirer_a",
      amount: 2_500,
      currency: "USD",
      originalReference: auth.processor_reference,
      processorReference: connector.reference("completion", auth.processor_reference, context) ?? "",
    });
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "unknown", resolution: "completion_repeat" });
    expect(await kit.api.internal.resolver.tick()).toBe(1);
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "approved" });
    expect(entryOf(auth.processor_reference)).toMatchObject({
      status: "captured",
      capturedAmount: 2_500,
      reversals: 0,
    });
  });

  it("ends a capture whose authorization was reversed meanwhile as no_effect", async () => {
    const auth = await kit.api.authorize(await kit.tokenize());
    expect((await kit.api.followUp("void", auth.processor_reference)).outcome).toBe("approved");
    const connector = acquirerA();
    const id = await diedAfterMarkingSent({
      kind: "completion",
      processor: "acquirer_a",
      amount: 1_999,
      currency: "USD",
      originalReference: auth.processor_reference,
      processorReference: connector.reference("completion", auth.processor_reference, context) ?? "",
    });
    await kit.api.internal.resolver.tick();
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "no_effect" });
  });

  it("fences a sale that never reached the wire, so a late copy of it is declined", async () => {
    const connector = acquirerA();
    const reference = connector.reference("sale", null, visa) ?? "";
    const id = await diedAfterMarkingSent({
      kind: "sale",
      processor: "acquirer_a",
      amount: 900,
      currency: "USD",
      originalReference: null,
      processorReference: reference,
    });
    await kit.api.internal.resolver.tick();
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "no_effect" });
    const card = { pan: "4242424242424242", expMonth: 12, expYear: 2034, cvc: null };
    const merchant = { id: kit.merchant.id, name: "Shop" };
    const late = await connector.authorize(
      { card, amount: 900, currency: "USD", merchant, kind: "sale", operationId: id },
      reference,
    );
    expect(late.status).toBe("declined");
    expect(entryOf(reference)).toMatchObject({ status: "reversed", capturedAmount: 0 });
  });

  it("repeats a void's reversal (0401) until acknowledged", async () => {
    const auth = await kit.api.authorize(await kit.tokenize());
    await kit.setFault({ mode: "never_answer", messages: ["0400"] });
    const id = operationId();
    const voided = await kit.api.followUp("void", auth.processor_reference, { operation_id: id });
    expect(voided).toMatchObject({ outcome: "unknown", resolution: "reversal_repeat" });
    await kit.setFault({ mode: "none" });
    await dueNow();
    await kit.api.internal.resolver.tick();
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "approved" });
    expect(entryOf(auth.processor_reference)).toMatchObject({ status: "reversed", reversals: 2 });
  });

  it("fences a recorded operation past its deadline: it is never sent", async () => {
    const id = operationId();
    const connector = acquirerA();
    const intent: Intent = {
      id,
      paymentId: "pay_test",
      livemode: false,
      kind: "authorization",
      processor: "acquirer_a",
      amount: 100,
      currency: "USD",
      originalReference: null,
      processorReference: connector.reference("authorization", null, visa) ?? "",
      card: null,
      deadline: new Date(Date.now() + BUDGETS.vaultReplyMarginMs + 50),
    };
    expect(await recordIntent(db(), intent, BUDGETS.vaultReplyMarginMs)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await kit.api.internal.resolver.tick();
    expect(await findOperation(db(), id)).toMatchObject({ state: "not_sent" });
    expect(await markSent(db(), id, BUDGETS.vaultReplyMarginMs, 0)).toBe(false);
  });

  it("shares the journal between vault instances: each owed operation is worked by one of them", async () => {
    await kit.setFault({ mode: "never_answer", messages: ["0100"] });
    const ids: string[] = [];
    const references: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = operationId();
      const auth = await kit.api.authorize(await kit.tokenize(), { operation_id: id });
      ids.push(id);
      references.push(auth.processor_reference);
    }
    await kit.setFault({ mode: "none" });
    await dueNow();
    const [one, two] = [kit.open(), kit.open()];
    const claimed = await Promise.all([one.internal.resolver.tick(), two.internal.resolver.tick()]);
    expect(claimed[0] + claimed[1]).toBe(4);
    for (const id of ids) expect(await kit.api.inquire(id)).toMatchObject({ outcome: "no_effect" });
    for (const reference of references) expect(entryOf(reference)).toMatchObject({ status: "reversed", reversals: 1 });
  });
});
