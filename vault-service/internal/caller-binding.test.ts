import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VaultError } from "../errors/vault-error.js";
import { authorizeOperation } from "../operations/authorize-operation.js";
import { findOperation } from "../operations/operation-journal.js";
import { paymentOfOperation } from "./caller-binding.js";
import { type InternalApiKit, operationId, startInternalApiKit } from "./internal-api.test-kit.js";

let kit: InternalApiKit;
const ledgerSize = () => kit.simulator.ledger.all().length;

beforeAll(async () => {
  kit = await startInternalApiKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe("operations bound to the payment the edge's token is for", () => {
  it("reads the payment out of the edge's operation ids", () => {
    expect(paymentOfOperation("op_3f9a0c1d2e_1")).toBe("pay_3f9a0c1d2e");
    expect(paymentOfOperation("op_3f9a0c1d2e_12")).toBe("pay_3f9a0c1d2e");
    expect(paymentOfOperation("op_3f9a0c1d2e")).toBeNull();
  });

  it("refuses an inquiry with another payment's token, fencing nothing, so that payment's operation still goes through", async () => {
    const id = operationId("pay_victim");
    const other = await kit.sign("pay_intruder", "inquire", { operation_id: id });
    const refused = await kit.api.call("inquire", { operation_id: id }, { token: other });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ code: "edge_token_wrong_payment", param: "operation_id" });
    expect(await findOperation(kit.harness.pool.db, id)).toBeUndefined();
    const answer = await kit.api.authorize(await kit.tokenize(), { operation_id: id, payment_id: "pay_victim" });
    expect(answer).toMatchObject({ outcome: "approved" });
  });

  it("refuses an operation for another payment than the token's, sending nothing", async () => {
    const token = await kit.tokenize();
    const before = ledgerSize();
    const body = {
      deadline: Date.now() + 25_000,
      merchant_id: kit.merchant.id,
      livemode: false,
      token,
      amount: 100,
      currency: "USD",
      capture: false,
    };
    const theirs = { ...body, payment_id: "pay_theirs", operation_id: operationId("pay_theirs") };
    const signed = await kit.sign("pay_mine", "authorize", theirs);
    const wrongPayment = await kit.api.call("authorize", theirs, { token: signed });
    expect(wrongPayment.status).toBe(403);
    expect(wrongPayment.json.error).toMatchObject({ code: "edge_token_wrong_payment", param: "payment_id" });
    const mine = { ...body, payment_id: "pay_mine", operation_id: operationId("pay_theirs") };
    const wrongId = await kit.api.call("authorize", mine, { token: await kit.sign("pay_mine", "authorize", mine) });
    expect(wrongId.status).toBe(403);
    expect(wrongId.json.error).toMatchObject({ code: "edge_token_wrong_payment", param: "operation_id" });
    expect(ledgerSize()).toBe(before);
  });
});

describe("a retransmitted operation id", () => {
  it("is refused when it carries another operation, never replayed or sent", async () => {
    const token = await kit.tokenize();
    const id = operationId();
    const first = await kit.api.authorize(token, { operation_id: id, amount: 1_999 });
    expect(first.outcome).toBe("approved");
    const before = ledgerSize();
    for (const changed of [{ amount: 2_999 }, { currency: "EUR" }, { capture: true }]) {
      const body = {
        operation_id: id,
        deadline: Date.now() + 25_000,
        merchant_id: kit.merchant.id,
        payment_id: "pay_test",
        livemode: false,
        token,
        amount: 1_999,
        currency: "USD",
        capture: false,
        ...changed,
      };
      const response = await kit.api.call("authorize", body);
      expect(response.status).toBe(409);
      expect(response.json.error).toMatchObject({ code: "operation_id_reused", param: "operation_id" });
    }
    // The same operation again is still its journaled answer.
    expect(await kit.api.authorize(token, { operation_id: id, amount: 1_999 })).toEqual(first);
    expect(ledgerSize()).toBe(before);
    expect(await findOperation(kit.harness.pool.db, id)).toMatchObject({ amount: 1_999, kind: "authorization" });
  });

  it("is refused for a capture of another amount, which is not sent", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(), { amount: 5_000 });
    const id = operationId();
    expect(
      await kit.api.followUp("capture", auth.processor_reference, { operation_id: id, amount: 2_000 }),
    ).toMatchObject({ outcome: "approved" });
    const again = await kit.api.call("capture", {
      operation_id: id,
      deadline: Date.now() + 25_000,
      payment_id: "pay_test",
      livemode: false,
      processor: "visa",
      processor_reference: auth.processor_reference,
      amount: 5_000,
      currency: "USD",
    });
    expect(again.status).toBe(409);
    expect(kit.simulator.ledger.findByRrn(auth.processor_reference.slice(0, 12))).toMatchObject({
      capturedAmount: 2_000,
    });
  });

  it("is refused when the journal has it for another payment", async () => {
    const token = await kit.tokenize();
    const id = operationId();
    const body = {
      operation_id: id,
      deadline: Date.now() + 25_000,
      merchant_id: kit.merchant.id,
      payment_id: "pay_test",
      livemode: false,
      token,
      amount: 1_999,
      currency: "USD",
      capture: false,
    };
    expect((await authorizeOperation(kit.api.internal, body)).outcome).toBe("approved");
    const reused = authorizeOperation(kit.api.internal, { ...body, payment_id: "pay_other" });
    await expect(reused).rejects.toBeInstanceOf(VaultError);
    await expect(reused).rejects.toMatchObject({ code: "operation_id_reused" });
  });
});
