import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startAcquirerSimulator } from "../../simulators/acquirer/acquirer-simulator.js";
import { Iso8583Link } from "../../vault-service/connectors/card-network/iso8583-link.js";
import type { IsoMessage } from "../../vault-service/iso8583/message.js";
import { financialRequest } from "../support/iso-requests.js";

/**
 * What routing tests need from a second acquirer, over its real TCP wire: cards outside its BIN
 * coverage get 92 (no route, a soft decline), a `decline_share` fault declines an exact and
 * repeatable share of authorizations, and its name on its health and its books.
 */
const VISA = "4242424242424242";
const VISA_DEBIT = "4000056655665556";
const dataDir = mkdtempSync(join(tmpdir(), "acquirer-b-"));
let simulator: RunningSimulator;
let link: Iso8583Link;

/** An authorization (0100) or sale (0200) of 1,000 USD on terminal GWTEST01, with a fresh STAN and RRN. */
const financial = (pan: string, mti: "0100" | "0200" = "0100") =>
  financialRequest(link, { pan, mti, terminal: "GWTEST01" });

/** Sends one request and returns field 39 and the booked entry. */
async function send(request: IsoMessage) {
  const answer = await link.exchange(request, 2_000);
  return { code: answer.fields[39], entry: simulator.ledger.findByRrn(request.fields[37] ?? "") };
}

async function admin(path: string, method = "GET", body?: unknown) {
  const response = await fetch(`${simulator.adminUrl}${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

/** 20 authorizations and sales, one after another: their field 39 codes in order. */
async function twentyAnswers(): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < 20; i++) codes.push((await send(financial(VISA, i % 3 === 0 ? "0200" : "0100"))).code ?? "");
  return codes;
}

beforeAll(async () => {
  simulator = await startAcquirerSimulator({
    name: "acquirer_b",
    bins: ["4242", "5555"],
    isoPort: 0,
    adminPort: 0,
    dataDir,
  });
  link = new Iso8583Link("127.0.0.1", simulator.isoPort, { timeoutMs: 1_000, attempts: 1, pauseMs: 0 });
});

afterEach(async () => {
  await admin("/faults", "PUT", { mode: "none", messages: ["0100", "0200", "0220"] });
});

afterAll(async () => {
  await link?.close();
  await simulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("acquirer behaviours for routing", () => {
  it("declines a card outside its BIN coverage with 92 and books it declined", async () => {
    const outside = await send(financial(VISA_DEBIT));
    expect(outside.code).toBe("92");
    expect(outside.entry).toMatchObject({ status: "declined", responseCode: "92", authCode: null, last4: "5556" });
    expect(outside.entry?.authorizedAmount).toBe(0);

    const inside = await send(financial(VISA));
    expect(inside.code).toBe("00");
    expect(inside.entry).toMatchObject({ status: "approved", responseCode: "00" });
  });

  it("declines exactly half of 20 authorizations with 91 under decline_share 0.5, the same way each time", async () => {
    const fault = { mode: "decline_share", share: 0.5, code: "91", messages: ["0100", "0200"] };
    expect((await admin("/faults", "PUT", fault)).json).toMatchObject(fault);
    const first = await twentyAnswers();
    expect(first.filter((code) => code === "91")).toHaveLength(10);
    expect(first.filter((code) => code === "00")).toHaveLength(10);

    // Switched on again (91 is the default code), the same requests meet the same answers.
    const { code: _default, ...again } = fault;
    expect((await admin("/faults", "PUT", again)).json).toMatchObject({ ...again, code: "91" });
    expect(await twentyAnswers()).toEqual(first);

    const declined = simulator.ledger.all().filter((entry) => entry.responseCode === "91");
    expect(declined).toHaveLength(20);
    for (const entry of declined) expect(entry).toMatchObject({ status: "declined", capturedAmount: 0 });
  });

  it("takes no share of forced declines for a card it has no route for", async () => {
    await admin("/faults", "PUT", { mode: "decline_share", share: 0.5 });
    expect((await send(financial(VISA_DEBIT))).code).toBe("92");
    expect((await send(financial(VISA))).code).toBe("00");
    expect((await send(financial(VISA))).code).toBe("91");
  });

  it("refuses a decline_share without a share, or with an approval code", async () => {
    expect((await admin("/faults", "PUT", { mode: "decline_share" })).status).toBe(400);
    expect((await admin("/faults", "PUT", { mode: "decline_share", share: 0.5, code: "00" })).status).toBe(400);
    expect((await admin("/faults", "PUT", { mode: "decline_share", share: 1.5 })).status).toBe(400);
    expect((await admin("/faults", "PUT", { mode: "slow", share: 0.5 })).status).toBe(400);
  });

  it("shows its name and coverage on /health and on every entry in its books", async () => {
    expect((await admin("/health")).json).toMatchObject({ status: "ok", name: "acquirer_b", bins: ["4242", "5555"] });
    const entries = (await admin("/ledger")).json.entries as { acquirer: string }[];
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((entry) => entry.acquirer))).toEqual(new Set(["acquirer_b"]));
  });
});
