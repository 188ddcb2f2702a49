import { exportJWK, generateKeyPair } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openVaultDatabase } from "../db/vault-database.js";
import { findOperation } from "../operations/operation-journal.js";
import { type InternalApiKit, operationId, PAN, startInternalApiKit } from "./internal-api.test-kit.js";

let kit: InternalApiKit;
const ledgerSize = () => kit.simulator.ledger.all().length;
const entryOf = (reference: string) => kit.simulator.ledger.findByRrn(String(reference).slice(0, 12));

beforeAll(async () => {
  kit = await startInternalApiKit();
  kit.api.internal.resolver.start();
});

afterEach(async () => {
  await kit.setFault({ mode: "none", messages: ["0100", "0200", "0220"] });
});

afterAll(async () => {
  await kit?.stop();
});

describe("the vault's internal API (edge -> vault)", () => {
  it("authorizes a token at the card network, with the CVC once, and never answers with the card number", async () => {
    const token = await kit.tokenize();
    expect(kit.harness.deps.cvcs.has(token)).toBe(true);
    const id = operationId();
    const response = await kit.api.call("authorize", {
      operation_id: id,
      deadline: Date.now() + 25_000,
      merchant_id: kit.merchant.id,
      payment_id: "pay_test",
      livemode: false,
      token,
      amount: 1_999,
      currency: "USD",
      capture: false,
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcome: "approved", processor: "acquirer_a" });
    // What the payment may show of the card: brand, last four, expiry; never more.
    expect(response.json.card).toEqual({
      brand: "visa",
      last4: "4242",
      exp_month: expect.any(Number),
      exp_year: expect.any(Number),
      funding: expect.any(String),
      country: expect.toBeOneOf([null, expect.any(String)]),
    });
    expect(response.text).not.toContain(PAN);
    expect(kit.harness.deps.cvcs.has(token)).toBe(false); // PCI DSS 3.3.1: used, then wiped
    const reference = response.json.processor_reference;
    expect(entryOf(reference)).toMatchObject({ status: "approved", amount: 1_999, last4: "4242" });

    const capture = await kit.api.followUp("capture", reference, { amount: 1_000 });
    expect(capture).toMatchObject({ outcome: "approved", processor: "acquirer_a" });
    expect(entryOf(reference)).toMatchObject({ status: "captured", capturedAmount: 1_000 });
    // The journal answers for the operation by its id, with the card for an authorization.
    expect(await kit.api.inquire(id)).toMatchObject({
      outcome: "approved",
      processor_reference: reference,
      card: { last4: "4242" },
    });
    const row = await findOperation(kit.harness.pool.db, id);
    expect(row).toMatchObject({
      state: "approved",
      kind: "authorization",
      amount: 1_999,
      processorReference: reference,
    });
    expect(JSON.stringify(row)).not.toContain(PAN);
  });

  it("answers a decline as an outcome with the unified decline code", async () => {
    const response = await kit.api.authorize(await kit.tokenize("4000000000009995"));
    expect(response).toMatchObject({
      outcome: "declined",
      decline_code: "insufficient_funds",
      decline_retry: "soft",
      network_response_code: "51",
    });
  });

  it("answers card_not_supported for a brand the chosen processor does not take (Amex at acquirer A), having journaled and sent nothing", async () => {
    const token = await kit.tokenize("378282246310005", "1234");
    const before = ledgerSize();
    const id = operationId();
    const response = await kit.api.authorize(token, { operation_id: id, processor: "acquirer_a" });
    expect(response).toMatchObject({ outcome: "card_not_supported", card: { brand: "amex", last4: "0005" } });
    expect(response.reason).toMatch(/amex/);
    expect(ledgerSize()).toBe(before);
    expect(await findOperation(kit.harness.pool.db, id)).toBeUndefined();
  });

  it("refuses a call without a valid edge token, and a replayed one", async () => {
    const token = await kit.tokenize();
    const body = {
      operation_id: operationId("pay_x"),
      deadline: Date.now() + 25_000,
      merchant_id: kit.merchant.id,
      payment_id: "pay_x",
      livemode: false,
      token,
      amount: 100,
      currency: "USD",
      capture: false,
    };
    const none = await kit.api.call("authorize", body, { token: null });
    expect(none.status).toBe(401);
    expect(none.json.error).toMatchObject({ type: "authentication_error", code: "edge_token_invalid" });

    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const forged = await kit.sign("pay_x", "authorize", body, {
      VAULT_SIGNING_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "edge-test" }),
    });
    expect((await kit.api.call("authorize", body, { token: forged })).status).toBe(401);
    const before = ledgerSize();
    const once = await kit.sign("pay_x", "authorize", body);
    expect((await kit.api.call("authorize", body, { token: once })).status).toBe(200);
    // The very same call again: a retransmission would be answered from the journal, a replayed token is not.
    const replay = await kit.api.call("authorize", body, { token: once });
    expect(replay.status).toBe(401);
    expect(ledgerSize()).toBe(before + 1);
  });

  it("keeps merchants apart: another merchant's token is not found", async () => {
    const token = await kit.tokenize();
    const other = await kit.harness.createMerchant();
    const response = await kit.api.call("authorize", {
      operation_id: operationId("pay_y"),
      deadline: Date.now() + 25_000,
      merchant_id: other.id,
      payment_id: "pay_y",
      livemode: false,
      token,
      amount: 100,
      currency: "USD",
      capture: false,
    });
    expect(response.status).toBe(404);
    expect(response.json.error.param).toBe("token");
  });

  it("never sends a retransmitted operation id twice, whether it comes after or beside the first", async () => {
    const token = await kit.tokenize();
    const id = operationId();
    const before = ledgerSize();
    const first = await kit.api.authorize(token, { operation_id: id });
    const again = await kit.api.authorize(token, { operation_id: id });
    expect(again).toEqual(first);
    const concurrentId = operationId();
    const both = await Promise.all([
      kit.api.authorize(token, { operation_id: concurrentId }),
      kit.api.authorize(token, { operation_id: concurrentId }),
    ]);
    for (const answer of both) expect(["approved", "unknown"]).toContain(answer.outcome);
    expect(await kit.api.settled(concurrentId)).toMatchObject({ outcome: "approved" });
    expect(ledgerSize()).toBe(before + 2);
  });

  it("ends an authorization whose answer is lost in a reversal: unknown at once, then no_effect", async () => {
    await kit.setFault({ mode: "never_answer", messages: ["0100"] });
    const id = operationId();
    const response = await kit.api.authorize(await kit.tokenize(), { operation_id: id });
    expect(response).toMatchObject({ outcome: "unknown", resolution: "reversal", card: { last4: "4242" } });
    const settled = await kit.api.settled(id);
    expect(settled).toMatchObject({ outcome: "no_effect", processor_reference: response.processor_reference });
    expect(entryOf(response.processor_reference)).toMatchObject({ status: "reversed", reversals: 1 });
  });

  it("ends a capture whose 0220 answer is lost approved and captured, never reversing the authorization", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(), { amount: 3_000 });
    await kit.setFault({ mode: "never_answer", messages: ["0220"] });
    const id = operationId();
    const capture = await kit.api.followUp("capture", auth.processor_reference, { operation_id: id, amount: 3_000 });
    expect(capture).toMatchObject({ outcome: "unknown", resolution: "completion_repeat" });
    expect(await kit.api.settled(id)).toMatchObject({ outcome: "approved" });
    expect(entryOf(auth.processor_reference)).toMatchObject({
      status: "captured",
      capturedAmount: 3_000,
      reversedAmount: 0,
      reversals: 0,
    });
  });

  it("resolves a refund whose answer is lost to approved, refunding exactly once", async () => {
    const sale = await kit.api.authorize(await kit.tokenize(), { amount: 5_000, capture: true });
    expect(sale.outcome).toBe("approved");
    await kit.setFault({ mode: "never_answer", messages: ["0200"] });
    const id = operationId();
    const refund = await kit.api.followUp("refund", sale.processor_reference, { operation_id: id, amount: 2_000 });
    expect(refund).toMatchObject({ outcome: "unknown", resolution: "refund_repeat" });
    await kit.setFault({ mode: "none" });
    expect(await kit.api.settled(id)).toMatchObject({ outcome: "approved" });
    expect(entryOf(sale.processor_reference)).toMatchObject({ capturedAmount: 5_000, refundedAmount: 2_000 });
    const refunds = kit.simulator.ledger
      .all()
      .filter((entry) => entry.originalRrn === sale.processor_reference.slice(0, 12));
    expect(refunds).toHaveLength(1);
  });

  it("never sends a request that arrives after its deadline, nor a retransmission of it", async () => {
    const token = await kit.tokenize();
    const id = operationId();
    const before = ledgerSize();
    const late = await kit.api.authorize(token, { operation_id: id, deadline: Date.now() - 1 });
    expect(late).toMatchObject({ outcome: "unavailable", processor: "acquirer_a", card: { last4: "4242" } });
    const retried = await kit.api.authorize(token, { operation_id: id, deadline: Date.now() + 25_000 });
    expect(retried).toMatchObject({ outcome: "unavailable" });
    expect(ledgerSize()).toBe(before);
    expect(await findOperation(kit.harness.pool.db, id)).toMatchObject({ state: "not_sent" });
    expect(kit.harness.deps.cvcs.has(token)).toBe(true); // never used, so not taken
  });

  it("fences an id inquired about before it arrived: the late request is never sent", async () => {
    const id = operationId();
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "unavailable", processor: null });
    const before = ledgerSize();
    const late = await kit.api.authorize(await kit.tokenize(), { operation_id: id });
    expect(late).toMatchObject({ outcome: "unavailable" });
    expect(ledgerSize()).toBe(before);
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "unavailable" });
  });

  it("answers unknown before the edge's deadline while the network is slow, then journals the answer", async () => {
    const patient = kit.open({ timeoutMs: 5_000 });
    await kit.setFault({ mode: "slow", slow_ms: 2_500, messages: ["0100"] });
    const id = operationId();
    const started = Date.now();
    const response = await patient.authorize(await kit.tokenize(), { operation_id: id, deadline: started + 2_600 });
    const answeredIn = Date.now() - started;
    expect(response).toMatchObject({ outcome: "unknown", resolution: "reversal" });
    expect(answeredIn).toBeLessThan(2_600 - 1_000); // the reply margin (1.5 s) before the deadline
    expect(await kit.api.settled(id, 6_000)).toMatchObject({ outcome: "approved" });
  });

  it("says unavailable, having sent nothing, when the acquirer refuses connections", async () => {
    const token = await kit.tokenize();
    await kit.setFault({ mode: "refuse" });
    const before = ledgerSize();
    const id = operationId();
    const response = await kit.api.authorize(token, { operation_id: id, processor: "acquirer_a" });
    expect(response).toMatchObject({ outcome: "unavailable", processor: "acquirer_a" });
    expect(ledgerSize()).toBe(before);
    expect(await kit.api.inquire(id)).toMatchObject({ outcome: "unavailable", processor: "acquirer_a" });
  });

  it("says unavailable, having sent nothing, when its journal is unreachable", async () => {
    const auth = await kit.api.authorize(await kit.tokenize());
    const unreachable = openVaultDatabase("postgres://nobody@127.0.0.1:1/none", 1);
    try {
      // Its edge tokens still checked (a replay store down refuses every call at the door; see
      // test/security/stack/edge-token-binding.test.ts): the journal alone is cut off here.
      const cut = kit.open({ db: unreachable.db, replayDb: kit.harness.pool.db });
      const before = kit.simulator.ledger.all().map((entry) => ({ ...entry }));
      const capture = await cut.followUp("capture", auth.processor_reference);
      expect(capture).toMatchObject({ outcome: "unavailable", processor: "acquirer_a" });
      expect(kit.simulator.ledger.all()).toEqual(before);
    } finally {
      await unreachable.close();
    }
  });
});
