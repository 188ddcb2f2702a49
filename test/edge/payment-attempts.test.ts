import { afterEach, describe, expect, it, vi } from "vitest";
import type { PaymentEventMessage, ProjectedAttempt } from "../../common/payment-event-message.js";
import { call, newMerchant } from "./support/api.js";
import { approvingVault } from "./support/fake-vault.js";
import { deliver, transition } from "./support/projection.js";

/**
 * Issue 13, item 1: a payment's authorization attempts, each with its processor, its own
 * processor reference, its outcome and how long it took, in the object and in the projection.
 */
const card = { type: "card", token: "tok_AttemptsTest0000000001" };

const hex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

function attempt(id: string, changes: Partial<ProjectedAttempt> = {}): ProjectedAttempt {
  return {
    id,
    status: "pending",
    processor: null,
    processor_reference: null,
    decline_code: null,
    network_code: null,
    auth_code: null,
    latency_ms: null,
    routing: null,
    created_at: "2026-11-25T12:00:00.000Z",
    completed_at: null,
    ...changes,
  };
}

describe("payment attempts", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("records the authorization as an attempt: its processor, its own reference, its outcome and its latency", async () => {
    const asked = approvingVault();
    const { secretKey } = await newMerchant();
    const created = await call("POST", "/v1/payments", {
      key: secretKey,
      body: { amount: 1_500, currency: "usd", payment_method: card, capture_method: "manual" },
    });
    expect(created.status).toBe(200);
    const operation = asked.find((c) => c.path === "authorize")!.body.operation_id as string;
    expect(created.json.attempts).toEqual([
      {
        id: operation,
        object: "payment_attempt",
        status: "succeeded",
        processor: "acquirer_a",
        processor_reference: `ref_${operation}`,
        decline_code: null,
        network_code: null,
        auth_code: "123456",
        latency_ms: expect.any(Number),
        routing: null,
        created: expect.any(Number),
        completed: expect.any(Number),
      },
    ]);
    expect(created.json.attempts[0].latency_ms).toBeGreaterThanOrEqual(0);
    // A capture is not an attempt: the list stays the authorization's.
    const captured = await call("POST", `/v1/payments/${created.json.id}/capture`, { key: secretKey, body: {} });
    expect(captured.json.attempts).toEqual(created.json.attempts);
  });

  it("shows an attempt whose answer never came as pending, from the start", async () => {
    const { secretKey } = await newMerchant(); // no vault in this tier: the call is lost
    const created = await call("POST", "/v1/payments", {
      key: secretKey,
      body: { amount: 1_500, currency: "usd", payment_method: card },
    });
    expect(created.status).toBe(202);
    expect(created.json.attempts).toMatchObject([
      { status: "pending", processor: null, latency_ms: null, completed: null },
    ]);
    expect(created.json.attempts[0].id).toMatch(/^op_[0-9a-f]{64}_1$/);
  });

  it("projects attempts with their payment, never moving one backwards, and lists them in order", async () => {
    const merchant = await newMerchant();
    const id = `pay_${hex()}`;
    const pending: PaymentEventMessage = transition(merchant.id, id, 2, "processing", "created");
    pending.payment.attempts = [attempt(`op_${id.slice(4)}_1`)];
    const settled: PaymentEventMessage = transition(merchant.id, id, 3, "authorized", "processing");
    settled.payment.attempts = [
      attempt(`op_${id.slice(4)}_1`, {
        status: "declined",
        processor: "acquirer_a",
        processor_reference: "123456789012-0100-000001-1125120000",
        decline_code: "card_declined",
        network_code: "91",
        latency_ms: 812,
        completed_at: "2026-11-25T12:00:01.000Z",
      }),
      attempt(`op_${id.slice(4)}_2`, {
        status: "succeeded",
        processor: "acquirer_b",
        processor_reference: "223456789012-0100-000002-1125120001",
        auth_code: "654321",
        latency_ms: 240,
        routing: { rule: "usd-visa", candidates: ["acquirer_a", "acquirer_b"], skipped: [] },
        completed_at: "2026-11-25T12:00:02.000Z",
      }),
    ];
    // The newer message first, then the older one redelivered: the attempts stay as the newer says.
    expect((await deliver([settled])).ackAll).toBe(true);
    expect((await deliver([pending])).ackAll).toBe(true);
    const listed = (await call("GET", "/v1/payments", { key: merchant.secretKey })).json.data[0];
    expect(listed.id).toBe(id);
    expect(listed.attempts.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      [`op_${id.slice(4)}_1`, "declined"],
      [`op_${id.slice(4)}_2`, "succeeded"],
    ]);
    expect(listed.attempts[0]).toMatchObject({
      object: "payment_attempt",
      processor: "acquirer_a",
      network_code: "91",
      latency_ms: 812,
      completed: Date.UTC(2026, 10, 25, 12, 0, 1) / 1000,
    });
    expect(listed.attempts[1].routing).toEqual({
      rule: "usd-visa",
      candidates: ["acquirer_a", "acquirer_b"],
      skipped: [],
    });
  });
});
