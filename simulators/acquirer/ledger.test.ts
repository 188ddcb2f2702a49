import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger, type NewEntry } from "./ledger.js";

const NETWORK = "€".repeat(300);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function journalPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "acquirer-ledger-"));
  dirs.push(dir);
  return join(dir, "acquirer-ledger.ndjson");
}

function sale(n: number, amount: number): NewEntry {
  const at = new Date(Date.UTC(2026, 10, 20, 12, 0, 0, n)).toISOString();
  return {
    terminal: "GW000001",
    rrn: `6324120${String(n).padStart(5, "0")}`,
    stan: String(n).padStart(6, "0"),
    kind: "sale",
    // Three-byte characters, most of each line: reads of the journal end inside some of them.
    network: NETWORK,
    last4: "4242",
    amount,
    currency: "840",
    responseCode: "00",
    authCode: String(n + 1).padStart(6, "0"),
    status: "captured",
    authorizedAmount: amount,
    capturedAmount: amount,
    reversedAmount: 0,
    refundedAmount: 0,
    originalRrn: null,
    reversals: 0,
    createdAt: at,
    updatedAt: at,
    brand: "visa",
    issuerCountry: "US",
    capturedAt: at,
  };
}

describe("the acquirer's journal", () => {
  it("replays a journal of several megabytes whole, read a megabyte at a time, the newest booking of each transaction winning", () => {
    const path = journalPath();
    const books = new Ledger(path, "acquirer_a");
    for (let n = 0; n < 8_000; n++) books.save(sale(n, 1_000 + n));
    // A later change to a booked transaction (a refund against it) is journaled as a new line.
    books.save({ ...sale(7, 1_007), refundedAmount: 500 });

    const replayed = new Ledger(path, "acquirer_a");
    expect(replayed.all()).toHaveLength(8_000);
    expect(replayed.get("GW000001", sale(7_999, 0).rrn)).toMatchObject({ amount: 8_999, network: NETWORK });
    expect(replayed.get("GW000001", sale(7, 0).rrn)?.refundedAmount).toBe(500);
    expect(replayed.all().every((entry) => entry.network === NETWORK && entry.acquirer === "acquirer_a")).toBe(true);
  });

  it("starts empty without a journal", () => {
    expect(new Ledger(journalPath(), "acquirer_a").all()).toEqual([]);
  });
});
