import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, liveSecretKey, newMerchant } from "../edge/support/api.js";
import { approvingVault } from "../edge/support/fake-vault.js";
import { deliver, transition } from "../edge/support/projection.js";

/**
 * Issue 12, item 1 (DESIGN invariant 6): test mode and live mode are two worlds. A merchant's
 * test key holding a live object's id must find nothing there, exactly as for an id that names
 * nothing (404, not 403: not even whether it exists), and the other way round. The vault is
 * stood in for (approving everything), so payments get far enough to be captured and refunded.
 */
const card = { type: "card", token: "tok_ModesTest00000000000001" };

async function twoModes() {
  const merchant = await newMerchant();
  const live = await liveSecretKey(merchant.id);
  return { merchant, test: merchant.secretKey, live: live.secret, liveKeyId: live.id };
}

async function pay(key: string, captureMethod: "automatic" | "manual", headers: Record<string, string> = {}) {
  const created = await call("POST", "/v1/payments", {
    key,
    headers,
    body: { amount: 1_000, currency: "usd", payment_method: card, capture_method: captureMethod },
  });
  expect(created.status).toBe(200);
  return created.json;
}

/** An id of the payment namespace whose object holds nothing: what "no such payment" looks like. */
const nothing = () => `pay_${env.PAYMENTS.newUniqueId().toString()}`;

/** The error as a merchant could compare it: its request id dropped, the payment id it names masked. */
function shapeOf(answer: Awaited<ReturnType<typeof call>>, id: string) {
  const { request_id: _, message, ...rest } = answer.json.error as Record<string, string>;
  return { status: answer.status, ...rest, message: message?.replace(id, "<id>") };
}

describe("a key of one mode finds nothing of the other mode's payments", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers a test key's read of a live payment, and of its events, as for a payment that does not exist", async () => {
    approvingVault();
    const { test, live } = await twoModes();
    const payment = await pay(live, "manual");
    const absent = nothing();
    for (const suffix of ["", "/events"]) {
      const crossed = await call("GET", `/v1/payments/${payment.id}${suffix}`, { key: test });
      const missing = await call("GET", `/v1/payments/${absent}${suffix}`, { key: test });
      expect(shapeOf(crossed, payment.id)).toEqual(shapeOf(missing, absent));
      expect(shapeOf(crossed, payment.id)).toMatchObject({ status: 404, code: "resource_missing", param: "id" });
    }
    const own = await call("GET", `/v1/payments/${payment.id}`, { key: live });
    expect(own.json).toMatchObject({ id: payment.id, livemode: true, status: "authorized" });
  });

  it("lets a test key neither capture, cancel nor refund a live payment, and asks the vault nothing", async () => {
    const asked = approvingVault();
    const { test, live } = await twoModes();
    const authorized = await pay(live, "manual");
    const captured = await pay(live, "automatic");
    const before = asked.length;
    const absent = nothing();
    for (const [operation, payment] of [
      ["capture", authorized],
      ["cancel", authorized],
      ["refund", captured],
    ] as const) {
      const crossed = await call("POST", `/v1/payments/${payment.id}/${operation}`, { key: test, body: {} });
      const missing = await call("POST", `/v1/payments/${absent}/${operation}`, { key: test, body: {} });
      expect(shapeOf(crossed, payment.id), operation).toEqual(shapeOf(missing, absent));
      expect(crossed.status, operation).toBe(404);
      expect(crossed.json.error.code, operation).toBe("resource_missing");
    }
    expect(asked.length).toBe(before);
    // Untouched: its own mode's key still finds it as it was, and may capture it.
    expect((await call("GET", `/v1/payments/${authorized.id}`, { key: live })).json.status).toBe("authorized");
    expect((await call("GET", `/v1/payments/${captured.id}`, { key: live })).json.refunds).toEqual([]);
    const capture = await call("POST", `/v1/payments/${authorized.id}/capture`, { key: live, body: {} });
    expect(capture.json).toMatchObject({ status: "captured", livemode: true });
  });

  it("makes two payments of one Idempotency-Key used in both modes, each replayed only to its own mode", async () => {
    approvingVault();
    const { test, live } = await twoModes();
    const key = { "Idempotency-Key": "order-1001" };
    const inTest = await pay(test, "manual", key);
    const inLive = await pay(live, "manual", key);
    expect(inLive.id).not.toBe(inTest.id);
    expect([inTest.livemode, inLive.livemode]).toEqual([false, true]);
    for (const [secret, first] of [
      [test, inTest],
      [live, inLive],
    ] as const) {
      const replay = await call("POST", "/v1/payments", {
        key: secret,
        headers: key,
        body: { amount: 1_000, currency: "usd", payment_method: card, capture_method: "manual" },
      });
      expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
      expect(replay.json.id).toBe(first.id);
    }
  });

  it("tells the vault the payment's mode on every call: authorize, capture, cancel and refund", async () => {
    const asked = approvingVault();
    const { test, live } = await twoModes();
    for (const [secret, livemode] of [
      [test, false],
      [live, true],
    ] as const) {
      const from = asked.length;
      const toCapture = await pay(secret, "manual");
      const toCancel = await pay(secret, "manual");
      expect((await call("POST", `/v1/payments/${toCapture.id}/capture`, { key: secret, body: {} })).status).toBe(200);
      expect((await call("POST", `/v1/payments/${toCancel.id}/cancel`, { key: secret, body: {} })).status).toBe(200);
      const refunded = await call("POST", `/v1/payments/${toCapture.id}/refund`, {
        key: secret,
        body: { amount: 400 },
      });
      expect(refunded.json.refunds).toEqual([expect.objectContaining({ livemode, amount: 400 })]);
      const calls = asked.slice(from);
      expect(calls.map((c) => c.path).sort()).toEqual(["authorize", "authorize", "capture", "refund", "void"]);
      for (const { path, body } of calls) expect(body.livemode, path).toBe(livemode);
    }
  });

  it("lists and reads from Postgres only the key's own mode: payments, refunds, and no cursor across", async () => {
    const { merchant, test, live } = await twoModes();
    const hex = () =>
      Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
    const [testPayment, livePayment] = [`pay_${hex()}`, `pay_${hex()}`];
    const older = transition(merchant.id, testPayment, 4, "partially_refunded", "captured", false);
    older.payment.created_at = "2026-11-25T11:00:00.000Z"; // so the live one would be a cursor before it
    const result = await deliver([
      older,
      transition(merchant.id, livePayment, 4, "partially_refunded", "captured", true),
    ]);
    expect(result.ackAll).toBe(true);
    const ids = async (key: string, query = "") =>
      (await call("GET", `/v1/payments${query}`, { key })).json.data.map((p: { id: string }) => p.id);
    expect(await ids(test)).toEqual([testPayment]);
    expect(await ids(live)).toEqual([livePayment]);
    // Another mode's id is no cursor: it finds nothing, as an unknown id does.
    expect(await ids(test, `?starting_after=${livePayment}`)).toEqual([]);
    const listed = (await call("GET", "/v1/payments", { key: live })).json.data[0];
    expect(listed).toMatchObject({ livemode: true, refunds: [{ livemode: true }] });

    const liveRefund = `re_${livePayment}`;
    const crossed = await call("GET", `/v1/refunds/${liveRefund}`, { key: test });
    expect(crossed.status).toBe(404);
    expect(crossed.json.error).toMatchObject({ code: "resource_missing", message: `No such refund: '${liveRefund}'.` });
    expect((await call("GET", `/v1/refunds/${liveRefund}`, { key: live })).json).toMatchObject({
      id: liveRefund,
      livemode: true,
    });
  });

  it("lets a test key neither list, read, roll nor revoke the live key, and the live key not the test one", async () => {
    const { merchant, test, live, liveKeyId } = await twoModes();
    for (const [secret, otherId] of [
      [test, liveKeyId],
      [live, merchant.secretKeyId],
    ] as const) {
      const listed = await call("GET", "/v1/api_keys?limit=100", { key: secret });
      expect(listed.json.data.map((k: { id: string }) => k.id)).not.toContain(otherId);
      expect((await call("GET", `/v1/api_keys?starting_after=${otherId}`, { key: secret })).json.error?.code).toBe(
        "resource_missing",
      );
      for (const [method, path] of [
        ["GET", `/v1/api_keys/${otherId}`],
        ["POST", `/v1/api_keys/${otherId}/roll`],
        ["POST", `/v1/api_keys/${otherId}/revoke`],
      ] as const) {
        const answer = await call(method, path, { key: secret, ...(method === "POST" ? { body: {} } : {}) });
        expect(answer.status, path).toBe(404);
        expect(answer.json.error, path).toMatchObject({
          code: "resource_missing",
          message: `No such api_key: '${otherId}'.`,
        });
      }
    }
    // Neither was rolled nor revoked: both still work.
    expect((await call("GET", "/v1/merchant", { key: live })).status).toBe(200);
    expect((await call("GET", "/v1/merchant", { key: test })).status).toBe(200);
  });
});
