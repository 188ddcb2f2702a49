import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openVaultDatabase } from "../../../vault-service/db/vault-database.js";
import {
  type InternalApiKit,
  operationId,
  startInternalApiKit,
} from "../../../vault-service/internal/internal-api.test-kit.js";

/**
 * Issue 12, item 5, as someone who captured one edge->vault service token in flight (a log, a
 * proxy) tries it within its 30 s: on another path, with another body, and on a second vault
 * replica. Each is refused with the service-token error and nothing reaches the acquirer. The
 * vault is the real app over the internal API test kit (real Postgres, the acquirer simulator).
 */
let kit: InternalApiKit;
const ledgerSize = () => kit.simulator.ledger.all().length;
const refused = (answer: { status: number; json: Record<string, unknown> }) => {
  expect(answer.status).toBe(401);
  expect(answer.json.error).toMatchObject({ type: "authentication_error", code: "edge_token_invalid" });
};

beforeAll(async () => {
  kit = await startInternalApiKit();
});

afterAll(async () => {
  await kit?.stop();
});

const authorization = (payment: string, token: string, amount = 1_000) => ({
  operation_id: operationId(payment),
  deadline: Date.now() + 25_000,
  merchant_id: kit.merchant.id,
  payment_id: payment,
  livemode: false,
  token,
  amount,
  currency: "USD",
  capture: false,
});

describe("a captured edge service token", () => {
  it("cannot be used on another path: a token for an inquiry does not void the payment", async () => {
    const authorized = await kit.api.authorize(await kit.tokenize(), {
      payment_id: "pay_victim1",
      operation_id: operationId("pay_victim1"),
    });
    expect(authorized.outcome).toBe("approved");
    const inquiry = { operation_id: operationId("pay_victim1") };
    const captured = await kit.sign("pay_victim1", "inquire", inquiry);
    const voiding = {
      operation_id: operationId("pay_victim1"),
      deadline: Date.now() + 25_000,
      payment_id: "pay_victim1",
      livemode: false,
      processor: "acquirer_a",
      processor_reference: authorized.processor_reference,
      amount: 1_999,
      currency: "USD",
    };
    const entry = () => kit.simulator.ledger.findByRrn(String(authorized.processor_reference).slice(0, 12));
    const before = { ...entry() };
    refused(await kit.api.call("void", voiding, { token: captured }));
    expect(entry()).toMatchObject({ status: before.status, reversedAmount: 0, reversals: 0 });
  });

  it("cannot carry another body: the amount it was signed for cannot be raised", async () => {
    const signed = authorization("pay_victim2", await kit.tokenize(), 100);
    const captured = await kit.sign("pay_victim2", "authorize", signed);
    const before = ledgerSize();
    refused(await kit.api.call("authorize", { ...signed, amount: 99_999 }, { token: captured }));
    expect(ledgerSize()).toBe(before);
    // Unspent by the attempt: the edge's own call with it still goes through.
    expect((await kit.api.call("authorize", signed, { token: captured })).status).toBe(200);
  });

  it("is used once across vault replicas that share one database", async () => {
    const replica = kit.open();
    const body = authorization("pay_victim3", await kit.tokenize());
    const token = await kit.sign("pay_victim3", "authorize", body);
    expect((await kit.api.call("authorize", body, { token })).status).toBe(200);
    refused(await replica.call("authorize", body, { token }));
  });

  it("is refused, not waved through, when the replay store cannot be reached", async () => {
    const unreachable = openVaultDatabase("postgres://vault@127.0.0.1:9/vault", { max: 1, statementMs: 300 });
    try {
      const cutOff = kit.open({ db: unreachable.db });
      const body = authorization("pay_victim4", await kit.tokenize());
      const before = ledgerSize();
      refused(await cutOff.call("authorize", body));
      expect(ledgerSize()).toBe(before);
    } finally {
      await unreachable.close();
    }
  });
});
