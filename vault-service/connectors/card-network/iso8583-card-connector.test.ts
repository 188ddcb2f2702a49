import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startAcquirerSimulator } from "../../../simulators/acquirer/acquirer-simulator.js";
import type { AuthorizeRequest, OperationKind } from "../card-connector.js";
import { Iso8583CardConnector } from "./iso8583-card-connector.js";
import { mastercardConfig, visaConfig } from "./network-config.js";

let simulator: RunningSimulator;
let visa: Iso8583CardConnector;
const dataDir = mkdtempSync(join(tmpdir(), "acquirer-"));

const fast = { responseTimeoutMs: 400 };

async function setFault(body: Record<string, unknown>) {
  const response = await fetch(`${simulator.adminUrl}/faults`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

function payment(pan: string, overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    card: { pan, expMonth: 12, expYear: 2034, cvc: "123" },
    amount: 2_000,
    currency: "USD",
    merchant: { id: "acct_DemoMerchant000000000000", name: "Demo Shop" },
    kind: "authorization",
    operationId: "op_iso8583_connector_test",
    ...overrides,
  };
}

const ref = (kind: OperationKind, original: string | null = null, connector = visa) => {
  const reference = connector.reference(kind, original);
  if (!reference) throw new Error("no reference");
  return reference;
};
const entryOf = (reference: string) => simulator.ledger.findByRrn(reference.slice(0, 12));

/** Authorizes 2,000 USD on 4242... and returns the authorization's reference. */
async function authorized(amount = 2_000): Promise<string> {
  const reference = ref("authorization");
  expect((await visa.authorize(payment("4242424242424242", { amount }), reference)).status).toBe("approved");
  return reference;
}

beforeAll(async () => {
  simulator = await startAcquirerSimulator({ isoPort: 0, adminPort: 0, dataDir });
  visa = new Iso8583CardConnector(visaConfig("127.0.0.1", simulator.isoPort, fast));
});

afterEach(async () => {
  await setFault({ mode: "none", messages: ["0100", "0200", "0220"] });
});

afterAll(async () => {
  await visa?.close();
  await simulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("ISO 8583 card connector against the acquirer simulator", () => {
  it("authorizes, partially captures and refunds, as the acquirer's ledger shows", async () => {
    const auth = ref("authorization");
    expect(await visa.authorize(payment("4242424242424242"), auth)).toMatchObject({
      status: "approved",
      responseCode: "00",
    });
    expect(entryOf(auth)).toMatchObject({ kind: "authorization", status: "approved", amount: 2_000, last4: "4242" });

    const capture = ref("completion", auth);
    expect(capture.slice(0, 12)).toBe(auth.slice(0, 12)); // a completion names its authorization's RRN
    const request = { original: auth, amount: 1_500, currency: "USD" };
    expect(await visa.capture(request, capture, false)).toMatchObject({ status: "approved" });
    expect(entryOf(auth)).toMatchObject({ status: "captured", authorizedAmount: 2_000, capturedAmount: 1_500 });

    const refund = { original: auth, amount: 1_000, currency: "USD" };
    expect((await visa.refund(refund, ref("refund", auth))).status).toBe("approved");
    const over = await visa.refund({ ...refund, amount: 501 }, ref("refund", auth));
    expect(over).toMatchObject({ status: "declined", decline: { code: "invalid_amount", retry: "hard" } });
    expect(entryOf(auth)?.refundedAmount).toBe(1_000);
  });

  it.each([
    ["4000000000000002", "05", "generic_decline", "soft"],
    ["4000000000009995", "51", "insufficient_funds", "soft"],
    ["4000000000000069", "54", "expired_card", "hard"],
    ["4000000000000119", "96", "processing_error", "soft"],
    ["4100000000000019", "43", "stolen_card", "hard"],
    ["4242424242424241", "14", "incorrect_number", "hard"],
  ])("maps the issuer's answer for %s (%s) to %s, %s", async (pan, responseCode, code, retry) => {
    const reference = ref("authorization");
    const result = await visa.authorize(payment(pan), reference);
    expect(result).toMatchObject({ status: "declined", responseCode, decline: { code, retry } });
    expect(entryOf(reference)).toMatchObject({ status: "declined", responseCode });
    expect(await visa.inquire(reference)).toMatchObject({ status: "declined", responseCode });
  });

  it("voids an authorization with a 0400 reversal and finds it reversed on inquiry", async () => {
    const auth = await authorized();
    expect(await visa.inquire(auth)).toMatchObject({ status: "approved" });
    const request = { original: auth, amount: 2_000, currency: "USD" };
    expect((await visa.void(request, ref("reversal", auth), false)).status).toBe("approved");
    expect(entryOf(auth)).toMatchObject({ status: "reversed", reversals: 1, reversedAmount: 2_000 });
    expect(await visa.inquire(auth)).toEqual({ status: "reversed" });
    expect(await visa.inquire("999999999999-0100-000001-1125000000")).toEqual({ status: "not_found" });
  });

  it("answers unknown at once when an authorization's response never comes, and reverses nothing on its own", async () => {
    await setFault({ mode: "never_answer" });
    const reference = ref("authorization");
    const result = await visa.authorize(payment("4242424242424242"), reference);
    expect(result).toMatchObject({ status: "unknown" });
    expect(entryOf(reference)).toMatchObject({ status: "approved", reversals: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(entryOf(reference)?.reversals).toBe(0); // no inline or background loop any more
    // What the vault's resolver does about it: a reversal for a response received too late.
    expect(await visa.reverseUnanswered({ original: reference, amount: 2_000, currency: "USD" }, false)).toMatchObject({
      status: "approved",
    });
    expect(entryOf(reference)).toMatchObject({ status: "reversed", reversals: 1 });
  });

  it("reverses a sale whose answer was lost whole: nothing stays captured", async () => {
    await setFault({ mode: "never_answer", messages: ["0200"] });
    const sale = ref("sale");
    expect(await visa.authorize(payment("4242424242424242", { kind: "sale" }), sale)).toMatchObject({
      status: "unknown",
    });
    expect(entryOf(sale)).toMatchObject({ status: "captured", capturedAmount: 2_000 });
    await visa.reverseUnanswered({ original: sale, amount: 2_000, currency: "USD" }, false);
    expect(entryOf(sale)).toMatchObject({
      status: "reversed",
      authorizedAmount: 2_000,
      capturedAmount: 0,
      reversedAmount: 2_000,
    });
  });

  it("answers unknown after a garbled or a too-slow response as well", async () => {
    await setFault({ mode: "garbled" });
    const garbled = ref("authorization");
    expect(await visa.authorize(payment("4242424242424242"), garbled)).toMatchObject({ status: "unknown" });
    expect(entryOf(garbled)?.status).toBe("approved");

    await setFault({ mode: "slow", slow_ms: 1_000 });
    const slow = ref("authorization");
    expect(await visa.authorize(payment("4242424242424242"), slow)).toMatchObject({ status: "unknown" });
    await new Promise((resolve) => setTimeout(resolve, 700)); // the late response arrives and is ignored
    expect(entryOf(slow)).toMatchObject({ status: "approved", reversals: 0 });
  });

  it("never reverses the authorization when a capture's answer is lost", async () => {
    const auth = await authorized();
    await setFault({ mode: "never_answer", messages: ["0220"] });
    const result = await visa.capture(
      { original: auth, amount: 2_000, currency: "USD" },
      ref("completion", auth),
      false,
    );
    expect(result).toMatchObject({ status: "unknown" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(entryOf(auth)).toMatchObject({ status: "captured", capturedAmount: 2_000, reversals: 0 });
    expect(await visa.inquire(auth)).toMatchObject({ status: "captured", capturedAmount: 2_000 });
  });

  it("repeats a completion advice (0221): it captures once, and again is the same capture", async () => {
    const auth = await authorized();
    const capture = ref("completion", auth);
    const request = { original: auth, amount: 1_200, currency: "USD" };
    expect(await visa.capture(request, capture, true)).toMatchObject({ status: "approved" });
    expect(await visa.capture(request, capture, true)).toMatchObject({ status: "approved" });
    expect(entryOf(auth)).toMatchObject({ status: "captured", capturedAmount: 1_200 });
    expect(await visa.inquire(auth)).toMatchObject({ status: "captured", capturedAmount: 1_200 });
  });

  it("repeats a reversal (0401) and counts each one, reversing once", async () => {
    const auth = await authorized();
    const request = { original: auth, amount: 2_000, currency: "USD" };
    const reversal = ref("reversal", auth);
    expect((await visa.void(request, reversal, false)).status).toBe("approved");
    expect((await visa.void(request, reversal, true)).status).toBe("approved");
    expect(entryOf(auth)).toMatchObject({ status: "reversed", reversals: 2, reversedAmount: 2_000 });
  });

  it("declines a late original whose reversal overtook it, instead of booking it", async () => {
    const reference = ref("authorization");
    const reversal = await visa.reverseUnanswered({ original: reference, amount: 2_000, currency: "USD" }, false);
    expect(reversal.status).toBe("approved");
    expect(await visa.inquire(reference)).toEqual({ status: "reversed" });
    const late = await visa.authorize(payment("4242424242424242"), reference);
    expect(late).toMatchObject({ status: "declined" });
    expect(entryOf(reference)).toMatchObject({ status: "reversed", authorizedAmount: 0, capturedAmount: 0 });
  });

  it("books a refund resent with the same reference once, and finds it by its own reference", async () => {
    const sale = ref("sale");
    expect((await visa.authorize(payment("4242424242424242", { kind: "sale" }), sale)).status).toBe("approved");
    const refund = ref("refund", sale);
    expect(await visa.inquire(refund)).toEqual({ status: "not_found" });
    await setFault({ mode: "never_answer", messages: ["0200"] });
    const request = { original: sale, amount: 700, currency: "USD" };
    expect(await visa.refund(request, refund)).toMatchObject({ status: "unknown" });
    await setFault({ mode: "none" });
    expect(await visa.inquire(refund)).toMatchObject({ status: "captured", capturedAmount: 700 });
    expect(await visa.refund(request, refund)).toMatchObject({ status: "approved" });
    expect(entryOf(sale)?.refundedAmount).toBe(700);
  });

  it("does not send, and says unavailable, when the acquirer refuses connections", async () => {
    const before = simulator.ledger.all().length;
    await setFault({ mode: "refuse" });
    const refused = new Iso8583CardConnector(
      visaConfig("127.0.0.1", simulator.isoPort, { ...fast, connect: { timeoutMs: 500, attempts: 2, pauseMs: 50 } }),
    );
    try {
      expect((await refused.authorize(payment("4242424242424242"), ref("authorization", null, refused))).status).toBe(
        "unavailable",
      );
      expect(await refused.echo()).toBe(false);
      expect(simulator.ledger.all().length).toBe(before);
      await setFault({ mode: "none" });
      expect(await refused.echo()).toBe(true);
    } finally {
      await refused.close();
    }
  });

  it("runs Mastercard as a second configuration, and declines currencies the acquirer cannot settle", async () => {
    const mastercard = new Iso8583CardConnector(mastercardConfig("127.0.0.1", simulator.isoPort, fast));
    try {
      const sale = ref("sale", null, mastercard);
      const result = await mastercard.authorize(payment("5555555555554444", { currency: "EUR", kind: "sale" }), sale);
      expect(result).toMatchObject({ status: "approved" });
      expect(entryOf(sale)).toMatchObject({ kind: "sale", status: "captured", currency: "978", last4: "4444" });
      expect(
        await mastercard.authorize(payment("5555555555554444", { currency: "XCG" }), ref("sale", null, mastercard)),
      ).toMatchObject({ status: "declined", decline: { code: "currency_not_supported" } });
    } finally {
      await mastercard.close();
    }
  });

  it("writes a clearing file of the day's captures and refunds, and keeps the ledger across restarts", async () => {
    const auth = await authorized(777);
    await visa.capture({ original: auth, amount: 777, currency: "USD" }, ref("completion", auth), false);
    const response = await fetch(`${simulator.adminUrl}/clearing`, { method: "POST" });
    const { path } = (await response.json()) as { path: string };
    const clearing = readFileSync(path, "utf8");
    expect(clearing).toContain(`DR|${auth.slice(0, 12)}|acquirer|4242|840|000000000777`);
    expect(clearing).toMatch(/TRAILER\|\d{4}-\d{2}-\d{2}\|\d+/);
    expect(clearing).not.toContain("4242424242424242");
    const journal = readFileSync(join(dataDir, "acquirer-ledger.ndjson"), "utf8");
    expect(journal).toContain(auth.slice(0, 12));
    expect(journal).not.toMatch(/4242424242424242|5555555555554444/);
  });
});
