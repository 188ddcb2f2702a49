import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IsoMessage } from "../../vault-service/iso8583/message.js";
import { expectDropRefusals } from "../reports/drop-refusals.js";
import { type RunningSimulator, startAcquirerSimulator } from "./acquirer-simulator.js";
import { clearingFileLines } from "./clearing-file.js";
import { IssuerHost } from "./issuer-host.js";
import type { LedgerEntry } from "./ledger.js";

/** The clearing file as the gateway pulls it: authenticated, the day so far, and wrong on purpose when told. */
const TOKEN = "clearing-test-token-0123456789";
let sim: RunningSimulator;
let host: IssuerHost;
let stan = 0;
const today = new Date().toISOString().slice(0, 10);

function message(mti: string, fields: IsoMessage["fields"]): IsoMessage {
  stan += 1;
  const trace = String(stan).padStart(6, "0");
  return { mti, fields: { 11: trace, 37: `633601${trace}`, 41: "GWVISA01", 49: "840", 3: "000000", ...fields } };
}

function sale(amount: number, pan = "4242424242424242") {
  const request = message("0200", { 2: pan, 4: String(amount), 14: "3412" });
  expect(host.handle(request).fields[39]).toBe("00");
  return request.fields[37]!;
}

const pull = (day = today, token: string | null = TOKEN) =>
  fetch(`${sim.adminUrl}/reports/clearing/${day}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

async function lines(): Promise<string[][]> {
  const response = await pull();
  expect(response.status).toBe(200);
  return (await response.text())
    .trim()
    .split("\n")
    .map((line) => line.split("|"));
}

const details = (file: string[][]) => file.filter((line) => line[0] === "DR" || line[0] === "CR");

const discrepancies = (body: unknown) =>
  fetch(`${sim.adminUrl}/reports/discrepancies`, {
    method: body === null ? "DELETE" : "PUT",
    headers: { "Content-Type": "application/json" },
    ...(body === null ? {} : { body: JSON.stringify(body) }),
  });

let visa: string;
let mastercard: string;
let completed: string;
let refund: string;

beforeAll(async () => {
  sim = await startAcquirerSimulator({
    name: "acquirer_a",
    isoPort: 0,
    adminPort: 0,
    dataDir: null,
    reportToken: TOKEN,
  });
  host = new IssuerHost(sim.ledger, "acquirer");
  visa = sale(10_000);
  mastercard = sale(2_500, "5555555555554444");
  // A manual capture: authorized, then completed for less.
  const auth = message("0100", { 2: "4000056655665556", 4: "3000", 14: "3412" });
  host.handle(auth);
  completed = auth.fields[37]!;
  expect(host.handle(message("0220", { 4: "2000", 37: completed })).fields[39]).toBe("00");
  const credit = message("0200", { 3: "200000", 4: "1000", 48: `ORRN=${visa}` });
  expect(host.handle(credit).fields[39]).toBe("00");
  refund = credit.fields[37]!;
  // Reversed before clearing: never cleared.
  const reversed = sale(777);
  host.handle(message("0400", { 4: "777", 37: reversed }));
});

afterAll(async () => {
  await sim?.stop();
});

describe("the clearing file over HTTP", () => {
  it("answers 401 with a Bearer challenge without the right token, and refuses days it cannot have", async () => {
    await expectDropRefusals(pull, today, TOKEN);
  });

  it("lists today's captures and refunds so far, with their fees, and a trailer that adds up", async () => {
    const file = await lines();
    expect(file[0]).toEqual(["HEADER", today, "acquirer_a", "2"]);
    const rows = details(file);
    expect(rows.map((row) => [row[0], row[1], row[5], row[8]])).toEqual([
      // Acquirer A's fee table: 2.00% + 20 domestic (a US card at a US acquirer), half up; none back on a refund.
      ["DR", visa, "000000010000", "000000000220"],
      ["DR", mastercard, "000000002500", "000000000070"],
      ["DR", completed, "000000002000", "000000000060"],
      ["CR", refund, "000000001000", "000000000000"],
    ]);
    expect(rows[3]![7]).toBe(visa);
    expect(rows[0]![4]).toBe("840");
    expect(rows[0]![6]).toMatch(/^\d{6}$/);
    expect(rows[0]![9]!.slice(0, 10)).toBe(today);
    expect(file).toContainEqual(["TRAILER", today, "4"]);
    expect(file).toContainEqual(["TOTAL", "840", String(10_000 + 2_500 + 2_000 - 1_000)]);
  });

  it("refuses a malformed day and a day yet to come; a day with nothing is an empty file", async () => {
    expect((await pull("2026-02-30")).status).toBe(400);
    expect((await pull("2999-01-01")).status).toBe(404);
    const empty = await pull("2001-01-01");
    expect(await empty.text()).toBe("HEADER|2001-01-01|acquirer_a|2\nTRAILER|2001-01-01|0\n");
  });

  it("introduces each discrepancy it is told to in the next files, and forgets them on DELETE", async () => {
    const put = await discrepancies({
      drop: [visa],
      amount: [{ reference: `${mastercard}-0200-000002-0101000000`, amount: 2_501 }],
      duplicate: [completed],
      currency: [{ reference: refund, currency: "eur" }],
      fee: [{ reference: mastercard, fee: 99 }],
      extra: [{ amount: 4_321, currency: "USD" }],
    });
    expect(put.status).toBe(200);
    const rows = details(await lines());
    expect(rows.map((row) => [row[1], row[4], row[5], row[8]])).toEqual([
      [mastercard, "840", "000000002501", "000000000099"],
      [completed, "840", "000000002000", "000000000060"],
      [completed, "840", "000000002000", "000000000060"],
      [refund, "978", "000000001000", "000000000000"],
      ["XTRA00000001", "840", "000000004321", ""],
    ]);
    expect((await discrepancies({ drop: ["short"] })).status).toBe(400);
    expect((await discrepancies(null)).status).toBe(200);
    expect(details(await lines())).toHaveLength(4);
  });
});

describe("which day a line belongs to", () => {
  it("lists a capture on the day it was booked, even after a later refund changed its entry", () => {
    const entry: LedgerEntry = {
      acquirer: "acquirer_a",
      terminal: "GWVISA01",
      rrn: "600112000001",
      stan: "000001",
      kind: "sale",
      network: "acquirer",
      last4: "4242",
      amount: 500,
      currency: "840",
      responseCode: "00",
      authCode: "000001",
      status: "captured",
      authorizedAmount: 500,
      capturedAmount: 500,
      reversedAmount: 0,
      refundedAmount: 100,
      originalRrn: null,
      reversals: 0,
      createdAt: "2026-01-01T23:59:00.000Z",
      updatedAt: "2026-01-02T08:00:00.000Z",
      brand: "visa",
      issuerCountry: "GB",
      capturedAt: "2026-01-01T23:59:00.000Z",
    };
    const options = { acquirer: "acquirer_a", country: "US" };
    const first = [...clearingFileLines([entry], "2026-01-01", options)];
    // International: 3.20% + 20 of 500 = 16 + 20.
    expect(first[1]).toBe(
      "DR|600112000001|acquirer|4242|840|000000000500|000001||000000000036|2026-01-01T23:59:00.000Z",
    );
    expect([...clearingFileLines([entry], "2026-01-02", options)]).toHaveLength(2);
  });
});
