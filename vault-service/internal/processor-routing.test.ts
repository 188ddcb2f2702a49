import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOperation } from "../operations/operation-journal.js";
import { type InternalApiKit, operationId, startInternalApiKit } from "./internal-api.test-kit.js";

/**
 * The vault routes by processor id (issue 13): acquirer A and acquirer B over ISO 8583, each its
 * own simulator with its own books, and the Stripe-style aggregator through the official `stripe`
 * client, each over its real wire. A processor a mode has no link to, and a brand a processor does
 * not take, are refused before the journal.
 */
let kit: InternalApiKit;
const db = () => kit.harness.pool.db;
const AMEX = "378282246310005";
const rrnOf = (reference: string) => reference.slice(0, 12);

beforeAll(async () => {
  kit = await startInternalApiKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe("routing by processor id", () => {
  it("authorizes and captures on acquirer B, in B's books only", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(), { processor: "acquirer_b", amount: 2_400 });
    expect(auth).toMatchObject({ outcome: "approved", processor: "acquirer_b" });
    expect(auth.processor_reference).toMatch(/-visa$/);
    expect(kit.simulatorB.ledger.findByRrn(rrnOf(auth.processor_reference))).toMatchObject({
      status: "approved",
      amount: 2_400,
    });
    expect(kit.simulator.ledger.findByRrn(rrnOf(auth.processor_reference))).toBeUndefined();
    const capture = await kit.api.followUp("capture", auth.processor_reference, {
      processor: "acquirer_b",
      amount: 2_400,
    });
    expect(capture).toMatchObject({ outcome: "approved", processor: "acquirer_b" });
    expect(kit.simulatorB.ledger.findByRrn(rrnOf(auth.processor_reference))).toMatchObject({
      status: "captured",
      capturedAmount: 2_400,
    });
  });

  it("authorizes, captures and partially refunds an Amex card through the aggregator", async () => {
    const id = operationId();
    const auth = await kit.api.authorize(await kit.tokenize(AMEX, "1234"), { operation_id: id, amount: 5_000 });
    expect(auth).toMatchObject({ outcome: "approved", processor: "aggregator", card: { brand: "amex" } });
    const intent = auth.processor_reference as string;
    expect(intent).toMatch(/^pi_/);
    expect(kit.aggregator.ledger.get(intent)).toMatchObject({
      status: "requires_capture",
      captureMethod: "manual",
      metadata: { operation_id: id },
    });
    // No retrieval reference at an HTTP processor.
    expect(await findOperation(db(), id)).toMatchObject({ processor: "aggregator", rrn: null });

    const followUp = { processor: "aggregator", amount: 5_000 };
    const capture = await kit.api.followUp("capture", intent, followUp);
    expect(capture).toMatchObject({ outcome: "approved", processor: "aggregator", processor_reference: intent });
    const refund = await kit.api.followUp("refund", intent, { ...followUp, amount: 1_500 });
    expect(refund).toMatchObject({ outcome: "approved", processor: "aggregator" });
    expect(refund.processor_reference).toMatch(new RegExp(`^${intent}/re_`));
    expect(kit.aggregator.ledger.get(intent)).toMatchObject({
      status: "succeeded",
      capturedAmount: 5_000,
      refundedAmount: 1_500,
    });
  });

  it("answers an aggregator decline with Stripe's decline_code as the network response code", async () => {
    const token = await kit.tokenize("4000000000009995");
    const declined = await kit.api.authorize(token, { processor: "aggregator" });
    expect(declined).toMatchObject({
      outcome: "declined",
      processor: "aggregator",
      decline_code: "insufficient_funds",
      network_response_code: "insufficient_funds",
    });
    expect(declined.processor_reference).toMatch(/^pi_/);
  });

  it("answers a processor the mode has no link to unavailable, journaling and sending nothing", async () => {
    const token = await kit.tokenize(AMEX, "1234", { livemode: true });
    for (const processor of ["aggregator", "acquirer_b"]) {
      const id = operationId();
      const intents = kit.aggregator.ledger.all().length;
      const answer = await kit.api.authorize(token, { operation_id: id, livemode: true, processor });
      expect(answer).toEqual({
        outcome: "unavailable",
        processor,
        reason: `${processor} is not configured in live mode`,
      });
      expect(await findOperation(db(), id)).toBeUndefined();
      expect(kit.aggregator.ledger.all()).toHaveLength(intents);
    }
    expect(kit.harness.deps.cvcs.has(token)).toBe(true); // never read for a call that went nowhere
  });

  it("captures a payment authorized before processor ids on acquirer A, by its network", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(), { amount: 3_100 });
    expect(auth).toMatchObject({ outcome: "approved", processor: "acquirer_a" });
    // What such a payment recorded: its network as processor, a reference without one.
    const legacy = (auth.processor_reference as string).replace(/-visa$/, "");
    const id = operationId();
    const capture = await kit.api.followUp("capture", legacy, { operation_id: id, processor: "visa", amount: 3_100 });
    expect(capture).toMatchObject({ outcome: "approved", processor: "acquirer_a" });
    expect(kit.simulator.ledger.findByRrn(rrnOf(legacy))).toMatchObject({ status: "captured", capturedAmount: 3_100 });
    expect(await findOperation(db(), id)).toMatchObject({
      processor: "acquirer_a",
      originalReference: auth.processor_reference,
    });
  });
});
