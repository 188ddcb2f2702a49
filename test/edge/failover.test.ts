import {
  createExecutionContext,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PaymentObject } from "../../durable-objects/payment/payment.object.js";
import { PaymentStore } from "../../durable-objects/payment/payment-store.js";
import { app } from "../../workers/app.js";
import { BASE, call, liveSecretKey, newMerchant } from "./support/api.js";
import { cardToken } from "./support/card-tokens.js";
import { type ProcessorAnswer, scriptedVault } from "./support/fake-vault.js";

/**
 * Issue 13 items 4 and 6 at the edge: the route decides before the first attempt, the payment
 * object sends each attempt to the next candidate, and fails over only on a definite technical
 * failure or soft decline, never after a hard decline, never while an outcome is unknown, never
 * to the same processor twice, within the merchant's limit. The vault is scripted per processor.
 */
const ALL = ["acquirer_a", "acquirer_b", "aggregator"];
const DEFAULT_ROUTING = { rule: "default", candidates: ALL, skipped: [] };

async function pay(secretKey: string, token: string, key = crypto.randomUUID()) {
  return call("POST", "/v1/payments", {
    key: secretKey,
    headers: { "Idempotency-Key": key },
    body: { amount: 2_000, currency: "usd", payment_method: { type: "card", token } },
  });
}

/** A merchant with a Visa card, and a vault whose processors answer as `script` says. */
async function setUp(script: Partial<Record<string, ProcessorAnswer>>) {
  const merchant = await newMerchant();
  const token = await cardToken(merchant.id);
  return { ...merchant, token, vault: scriptedVault(script) };
}

/** Technical failures in acquirer A's test-mode health window. */
async function technicalAtA(): Promise<number> {
  const health = await env.PROCESSOR_HEALTH.getByName("acquirer_a:test").snapshot();
  return Math.round((health.technicalRate ?? 0) * health.samples);
}

const stubFor = (paymentId: string) => env.PAYMENTS.get(env.PAYMENTS.idFromString(paymentId.slice(4)));

/** The payment's pending attempt is due for its inquiry now; the alarm runs it. */
async function runInquiry(paymentId: string) {
  await runInDurableObject(stubFor(paymentId), async (_instance: PaymentObject, state) => {
    const store = new PaymentStore(state.storage);
    const operation = store.pendingOperation();
    if (operation) store.saveOperation({ ...operation, resolve_at: Date.now() - 1 });
    await state.storage.setAlarm(Date.now() + 60_000); // run below, not on its own
  });
  await runDurableObjectAlarm(stubFor(paymentId));
}

async function settled(secretKey: string, paymentId: string) {
  let payment = (await call("GET", `/v1/payments/${paymentId}`, { key: secretKey })).json;
  // Its own alarm may be running the attempt this instant: wait for it.
  for (let i = 0; payment.status === "processing" && i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    payment = (await call("GET", `/v1/payments/${paymentId}`, { key: secretKey })).json;
  }
  return payment;
}

describe("routing and failover", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("sends the first attempt to the first candidate, and records the decision on it", async () => {
    const { secretKey, token, vault } = await setUp({});
    const created = await pay(secretKey, token);
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ status: "captured", processor: "acquirer_a" });
    expect(vault.authorizedAt()).toEqual(["acquirer_a"]);
    expect(created.json.attempts).toMatchObject([
      { status: "succeeded", processor: "acquirer_a", routing: DEFAULT_ROUTING },
    ]);
  });

  it("fails over to B when A is unavailable: two attempts, each with its processor and the decision, in the API and the log", async () => {
    const { secretKey, token, vault } = await setUp({ acquirer_a: "unavailable" });
    const technicalBefore = await technicalAtA();
    const created = await pay(secretKey, token);
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ status: "captured", processor: "acquirer_b" });
    expect(vault.authorizedAt()).toEqual(["acquirer_a", "acquirer_b"]);
    const [first, second] = vault.calls.map((c) => c.body.operation_id as string);
    expect(first).not.toBe(second);
    const shown = await call("GET", `/v1/payments/${created.json.id}`, { key: secretKey });
    expect(shown.json.attempts).toMatchObject([
      { id: first, status: "failed", processor: "acquirer_a", decline_code: "processor_unavailable" },
      { id: second, status: "succeeded", processor: "acquirer_b", processor_reference: `ref_${second}` },
    ]);
    expect(shown.json.attempts.map((a: { routing: unknown }) => a.routing)).toEqual([DEFAULT_ROUTING, DEFAULT_ROUTING]);
    const events = await call("GET", `/v1/payments/${created.json.id}/events`, { key: secretKey });
    expect(events.json.data.map((e: { event_type: string }) => e.event_type)).toEqual([
      "payment.created",
      "payment.processing",
      "payment.attempt_failed",
      "payment.attempt_started",
      "payment.authorized",
      "payment.captured",
    ]);
    // A's failure counts against its health (fire-and-forget: it lands a moment later).
    let technical = await technicalAtA();
    for (let i = 0; technical <= technicalBefore && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      technical = await technicalAtA();
    }
    expect(technical).toBeGreaterThan(technicalBefore);
  });

  it("fails over on a soft decline (91, issuer inoperative), keeping the network code on the attempt", async () => {
    const { secretKey, token, vault } = await setUp({
      acquirer_a: { decline: "91", decline_code: "issuer_not_available" },
    });
    const created = await pay(secretKey, token);
    expect(created.json).toMatchObject({ status: "captured", processor: "acquirer_b" });
    expect(vault.authorizedAt()).toEqual(["acquirer_a", "acquirer_b"]);
    expect(created.json.attempts).toMatchObject([
      { status: "declined", processor: "acquirer_a", network_code: "91" },
      { status: "succeeded", processor: "acquirer_b" },
    ]);
  });

  it("never fails over after a hard decline (05, do not honor): B is never asked", async () => {
    const { secretKey, token, vault } = await setUp({ acquirer_a: { decline: "05", decline_code: "do_not_honor" } });
    const created = await pay(secretKey, token);
    expect(created.status).toBe(402);
    expect(created.json.error).toMatchObject({ type: "card_error", decline_code: "do_not_honor" });
    expect(created.json.error.payment).toMatchObject({ status: "failed", processor: "acquirer_a" });
    expect(created.json.error.payment.attempts).toHaveLength(1);
    expect(vault.authorizedAt()).toEqual(["acquirer_a"]);
  });

  it("waits for an unknown attempt to resolve; resolved without effect, the alarm tries B", async () => {
    const { secretKey, token, vault } = await setUp({ acquirer_a: "unknown" });
    const key = crypto.randomUUID();
    const created = await pay(secretKey, token, key);
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ status: "processing", pending_operation: { type: "authorize" } });
    expect(vault.authorizedAt()).toEqual(["acquirer_a"]);
    vault.resolve(vault.calls[0]!.body.operation_id as string, "no_effect");
    await runInquiry(created.json.id);
    const payment = await settled(secretKey, created.json.id);
    expect(payment).toMatchObject({ status: "captured", processor: "acquirer_b", pending_operation: null });
    expect(vault.authorizedAt()).toEqual(["acquirer_a", "acquirer_b"]);
    expect(payment.attempts).toMatchObject([
      { status: "failed", processor: "acquirer_a" },
      { status: "succeeded", processor: "acquirer_b" },
    ]);
    // One key, one create: a retry under it answers with the payment where it is now.
    const replay = await pay(secretKey, token, key);
    expect(replay.json).toMatchObject({ id: created.json.id, status: "captured", processor: "acquirer_b" });
    expect(vault.authorizedAt()).toHaveLength(2);
  });

  it("waits for an unknown attempt to resolve; resolved approved, B is never asked", async () => {
    const { secretKey, token, vault } = await setUp({ acquirer_a: "unknown" });
    const key = crypto.randomUUID();
    const created = await pay(secretKey, token, key);
    expect(created.status).toBe(202);
    vault.resolve(vault.calls[0]!.body.operation_id as string, "approve");
    await runInquiry(created.json.id);
    const payment = await settled(secretKey, created.json.id);
    expect(payment).toMatchObject({ status: "captured", processor: "acquirer_a" });
    expect(payment.attempts).toHaveLength(1);
    expect(vault.authorizedAt()).toEqual(["acquirer_a"]);
    const replay = await pay(secretKey, token, key);
    expect(replay.json).toMatchObject({ id: created.json.id, status: "captured" });
  });

  it("fails with the last attempt's code when every candidate fails, each asked once", async () => {
    const { secretKey, token, vault } = await setUp({
      acquirer_a: "unavailable",
      acquirer_b: { decline: "91", decline_code: "issuer_not_available" },
      aggregator: { decline: "try_again_later", decline_code: "try_again_later" },
    });
    const created = await pay(secretKey, token);
    expect(created.status).toBe(402);
    expect(created.json.error).toMatchObject({ decline_code: "try_again_later" });
    expect(created.json.error.payment).toMatchObject({ status: "failed", decline_code: "try_again_later" });
    expect(created.json.error.payment.attempts.map((a: { processor: string }) => a.processor)).toEqual(ALL);
    expect(vault.authorizedAt()).toEqual(ALL);
  });

  it("stops at the merchant's max_attempts, and never asks a processor the merchant disabled", async () => {
    const { secretKey, token, vault } = await setUp({ acquirer_b: "unavailable", aggregator: "unavailable" });
    const put = await call("PUT", "/v1/routing", {
      key: secretKey,
      body: { disabled: ["acquirer_a"], max_attempts: 1 },
    });
    expect(put.status).toBe(200);
    expect(put.json.max_attempts).toBe(1);
    const created = await pay(secretKey, token);
    expect(created.status).toBe(502);
    expect(created.json.error.payment.attempts).toMatchObject([
      {
        processor: "acquirer_b",
        routing: {
          rule: "default",
          candidates: ["acquirer_b", "aggregator"],
          skipped: [{ processor: "acquirer_a", reason: "disabled_by_merchant" }],
        },
      },
    ]);
    expect(vault.authorizedAt()).toEqual(["acquirer_b"]);
  });

  it("fails a payment no processor may take at once, asking no one", async () => {
    const { id, secretKey, vault } = await setUp({});
    expect((await call("PUT", "/v1/routing", { key: secretKey, body: { disabled: ["aggregator"] } })).status).toBe(200);
    // Amex: only the aggregator takes it, and the merchant disabled it.
    const created = await pay(secretKey, await cardToken(id, { brand: "amex" }));
    expect(created.status).toBe(402);
    expect(created.json.error).toMatchObject({ code: "card_not_supported", decline_code: "card_not_supported" });
    expect(created.json.error.payment).toMatchObject({ status: "failed", attempts: [] });
    expect(vault.calls).toEqual([]);
  });

  it("reaches only the processors live mode is configured for (PROCESSORS_LIVE)", async () => {
    const { id, vault } = await setUp({ acquirer_a: "unavailable" });
    const live = await liveSecretKey(id);
    const token = await cardToken(id, { livemode: true });
    const created = await pay(live.secret, token);
    expect(created.status).toBe(502);
    expect(created.json.error.payment).toMatchObject({ livemode: true, status: "failed" });
    expect(created.json.error.payment.attempts).toMatchObject([
      {
        processor: "acquirer_a",
        routing: {
          candidates: ["acquirer_a"],
          skipped: [
            { processor: "acquirer_b", reason: "not_configured_in_mode" },
            { processor: "aggregator", reason: "not_configured_in_mode" },
          ],
        },
      },
    ]);
    expect(vault.authorizedAt()).toEqual(["acquirer_a"]);
    expect(vault.calls[0]!.body.livemode).toBe(true);
  });

  it("routes without a decision a token the edge does not know (the vault answers for it)", async () => {
    const { token, vault } = await setUp({});
    // Another merchant's token tells this one's router nothing.
    const other = await newMerchant();
    const created = await pay(other.secretKey, token);
    expect(vault.authorizedAt()).toEqual([null]);
    expect(created.json.attempts[0].routing).toBeNull();
  });

  it("routes a card this isolate has routed before without Postgres; a new card still needs it", async () => {
    const { id, secretKey, token, vault } = await setUp({});
    // Straight into the app (this module's caches), with the database the test chooses.
    const pay = async (environment: Env, card: string) => {
      const ctx = createExecutionContext();
      const response = await app.request(
        `${BASE}/v1/payments`,
        {
          method: "POST",
          headers: { Authorization: `Bearer ${secretKey}`, "Content-Type": "application/json" },
          body: JSON.stringify({ amount: 2_000, currency: "usd", payment_method: { type: "card", token: card } }),
        },
        environment,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return (await response.json()) as { attempts: { routing: unknown }[] };
    };
    expect((await pay(env, token)).attempts[0]!.routing).toEqual(DEFAULT_ROUTING);
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const unreachable = {
      ...env,
      HYPERDRIVE: { connectionString: "postgres://nobody:x@127.0.0.1:1/none" },
    } as unknown as Env;
    expect((await pay(unreachable, token)).attempts[0]!.routing).toEqual(DEFAULT_ROUTING);
    expect(warned).not.toHaveBeenCalled();
    // A token this isolate has not seen is Postgres' to describe: unreachable, it goes unrouted.
    const fresh = await cardToken(id);
    expect((await pay(unreachable, fresh)).attempts[0]!.routing).toBeNull();
    expect(warned.mock.calls.flat().join(" ")).toContain("routing facts unavailable");
    expect(vault.authorizedAt()).toEqual(["acquirer_a", "acquirer_a", null]);
  });
});
