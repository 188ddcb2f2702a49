import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startAcquirerSimulator } from "../../../simulators/acquirer/acquirer-simulator.js";
import type { AuthorizeRequest, OperationResult } from "../card-connector.js";
import { Iso8583CardConnector } from "./iso8583-card-connector.js";
import { mastercardConfig, visaConfig } from "./network-config.js";

let simulator: RunningSimulator;
let visa: Iso8583CardConnector;
const dataDir = mkdtempSync(join(tmpdir(), "acquirer-"));

const fast = { responseTimeoutMs: 400, reversalBackoffMs: [0, 100, 200] };

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
    ...overrides,
  };
}

const rrnOf = (result: OperationResult) =>
  "processorReference" in result ? result.processorReference.slice(0, 12) : "";
const ledgerEntry = (result: OperationResult) => simulator.ledger.findByRrn(rrnOf(result));

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
    const auth = await visa.authorize(payment("4242424242424242"));
    expect(auth).toMatchObject({ status: "approved", responseCode: "00" });
    expect(ledgerEntry(auth)).toMatchObject({
      kind: "authorization",
      status: "approved",
      amount: 2_000,
      last4: "4242",
    });
    const reference = (auth as { processorReference: string }).processorReference;

    expect(await visa.capture({ processorReference: reference, amount: 1_500, currency: "USD" })).toMatchObject({
      status: "approved",
    });
    expect(ledgerEntry(auth)).toMatchObject({ status: "captured", capturedAmount: 1_500 });

    expect((await visa.refund({ processorReference: reference, amount: 1_000, currency: "USD" })).status).toBe(
      "approved",
    );
    const over = await visa.refund({ processorReference: reference, amount: 501, currency: "USD" });
    expect(over).toMatchObject({ status: "declined", decline: { code: "invalid_amount", retry: "hard" } });
    expect(ledgerEntry(auth)?.refundedAmount).toBe(1_000);
  });

  it.each([
    ["4000000000000002", "05", "generic_decline", "soft"],
    ["4000000000009995", "51", "insufficient_funds", "soft"],
    ["4000000000000069", "54", "expired_card", "hard"],
    ["4000000000000119", "96", "processing_error", "soft"],
    ["4100000000000019", "43", "stolen_card", "hard"],
    ["4242424242424241", "14", "incorrect_number", "hard"],
  ])("maps the issuer's answer for %s (%s) to %s, %s", async (pan, responseCode, code, retry) => {
    const result = await visa.authorize(payment(pan));
    expect(result).toMatchObject({ status: "declined", responseCode, decline: { code, retry } });
    expect(ledgerEntry(result)).toMatchObject({ status: "declined", responseCode });
  });

  it("voids an authorization with a 0400 reversal and finds it reversed on inquiry", async () => {
    const auth = await visa.authorize(payment("4242424242424242"));
    const reference = (auth as { processorReference: string }).processorReference;
    expect(await visa.inquire({ processorReference: reference })).toMatchObject({ status: "approved" });
    expect((await visa.void({ processorReference: reference, amount: 2_000, currency: "USD" })).status).toBe(
      "approved",
    );
    expect(ledgerEntry(auth)).toMatchObject({ status: "reversed", reversals: 1 });
    expect(await visa.inquire({ processorReference: reference })).toEqual({ status: "reversed" });
    expect(await visa.inquire({ processorReference: "999999999999-0100-000001-1125000000" })).toEqual({
      status: "not_found",
    });
  });

  it("reverses an authorization whose response never came, and the acquirer records the reversal", async () => {
    await setFault({ mode: "never_answer" });
    const result = await visa.authorize(payment("4242424242424242"));
    expect(result).toMatchObject({ status: "unknown", reversal: "acknowledged" });
    expect(ledgerEntry(result)).toMatchObject({ kind: "authorization", status: "reversed", reversals: 1 });
  });

  it("reverses after a garbled or a too-slow response as well", async () => {
    await setFault({ mode: "garbled" });
    const garbled = await visa.authorize(payment("4242424242424242"));
    expect(garbled).toMatchObject({ status: "unknown", reversal: "acknowledged" });
    expect(ledgerEntry(garbled)?.status).toBe("reversed");

    await setFault({ mode: "slow", slow_ms: 1_000 });
    const slow = await visa.authorize(payment("4242424242424242"));
    expect(slow).toMatchObject({ status: "unknown", reversal: "acknowledged" });
    await new Promise((resolve) => setTimeout(resolve, 700)); // the late response arrives and is ignored
    expect(ledgerEntry(slow)?.status).toBe("reversed");
  });

  it("keeps reversing until the acquirer acknowledges", async () => {
    await setFault({ mode: "never_answer", messages: ["0100", "0400"] });
    // The host books each reversal but its acknowledgements are lost, as on a flaky link.
    const result = await visa.authorize(payment("4242424242424242"));
    expect(result).toMatchObject({ status: "unknown", reversal: "pending" });
    const unacknowledged = ledgerEntry(result)?.reversals ?? 0;
    expect(unacknowledged).toBe(2);
    await setFault({ mode: "none" });
    const deadline = Date.now() + 5_000;
    while ((ledgerEntry(result)?.reversals ?? 0) <= unacknowledged && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const acknowledged = ledgerEntry(result)?.reversals ?? 0;
    expect(acknowledged).toBeGreaterThan(unacknowledged);
    expect(ledgerEntry(result)?.status).toBe("reversed");
    await new Promise((resolve) => setTimeout(resolve, 600)); // acknowledged: no more reversals
    expect(ledgerEntry(result)?.reversals).toBe(acknowledged);
  });

  it("does not send, and says unavailable, when the acquirer refuses connections", async () => {
    const before = simulator.ledger.all().length;
    await setFault({ mode: "refuse" });
    const refused = new Iso8583CardConnector(
      visaConfig("127.0.0.1", simulator.isoPort, { ...fast, connectAttempts: 2 }),
    );
    try {
      expect((await refused.authorize(payment("4242424242424242"))).status).toBe("unavailable");
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
      const result = await mastercard.authorize(payment("5555555555554444", { currency: "EUR", kind: "sale" }));
      expect(result).toMatchObject({ status: "approved" });
      expect(ledgerEntry(result)).toMatchObject({ kind: "sale", status: "captured", currency: "978", last4: "4444" });
      expect(await mastercard.authorize(payment("5555555555554444", { currency: "XCG" }))).toMatchObject({
        status: "declined",
        decline: { code: "currency_not_supported" },
      });
    } finally {
      await mastercard.close();
    }
  });

  it("writes a clearing file of the day's captures and refunds, and keeps the ledger across restarts", async () => {
    const auth = await visa.authorize(payment("4242424242424242", { amount: 777 }));
    const reference = (auth as { processorReference: string }).processorReference;
    await visa.capture({ processorReference: reference, amount: 777, currency: "USD" });
    const response = await fetch(`${simulator.adminUrl}/clearing`, { method: "POST" });
    const { path } = (await response.json()) as { path: string };
    const clearing = readFileSync(path, "utf8");
    expect(clearing).toContain(`DR|${rrnOf(auth)}|acquirer|4242|840|000000000777`);
    expect(clearing).toMatch(/TRAILER\|\d{4}-\d{2}-\d{2}\|\d+/);
    expect(clearing).not.toContain("4242424242424242");
    const journal = readFileSync(join(dataDir, "acquirer-ledger.ndjson"), "utf8");
    expect(journal).toContain(rrnOf(auth));
    expect(journal).not.toMatch(/4242424242424242|5555555555554444/);
  });
});
