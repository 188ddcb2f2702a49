import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NpciSettlementFileReader } from "../../workers/reconciliation/layouts/npci-settlement-file.js";
import { statedSha256 } from "../../workers/reconciliation/repr-digest.js";
import { expectDropRefusals } from "../reports/drop-refusals.js";
import { UpiSwitchKit, until } from "./test-kit.js";

/**
 * The settlement file as the gateway pulls it from the switch's drop: authenticated, the day so
 * far, its digest stated, read by the gateway's own reader (only successes moved money), and
 * wrong on purpose when told.
 */
const TOKEN = "upi-settlement-test-token-0123456789";
const today = new Date().toISOString().slice(0, 10);
let kit: UpiSwitchKit;
let paid: string;
let small: string;
let refund: string;

const pull = (day = today, token: string | null = TOKEN) =>
  fetch(
    `${kit.sim.adminUrl}/reports/settlement/${day}`,
    token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  );

async function read() {
  const response = await pull();
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(statedSha256(response.headers.get("Repr-Digest"))).toBe(createHash("sha256").update(text).digest("base64"));
  const reader = new NpciSettlementFileReader(today);
  const lines = reader.push(text);
  expect(reader.end()).toBe(lines.length);
  return lines;
}

const discrepancies = (body: unknown) =>
  fetch(`${kit.sim.adminUrl}/reports/discrepancies`, {
    method: body === null ? "DELETE" : "PUT",
    headers: { "Content-Type": "application/json" },
    ...(body === null ? {} : { body: JSON.stringify(body) }),
  });

const final = (txnId: string) =>
  until(
    () => kit.admin(`/transactions/${txnId}`),
    (txn) => txn.state === "SUCCESS" || txn.state === "FAILURE",
  );

beforeAll(async () => {
  kit = await UpiSwitchKit.start({ reportToken: TOKEN });
  const payment = kit.collect("success@upi", 49_900);
  const second = kit.collect("success@upi", 1_250);
  const failed = kit.collect("funds@upi", 1_000);
  // One after the other, so the file's order (by when each became final) is theirs.
  for (const request of [payment, second, failed]) {
    await kit.send(request);
    await final(request.txn.id);
  }
  const back = kit.refund(payment.txn.id, "success@upi", 10_050);
  await kit.send(back);
  await final(back.txn.id);
  paid = payment.txn.id;
  small = second.txn.id;
  refund = back.txn.id;
});

afterAll(async () => {
  await kit?.stop();
});

describe("the settlement file's drop", () => {
  it("answers 401 with a Bearer challenge without the right token, and refuses days it cannot have", async () => {
    await expectDropRefusals(pull, today, TOKEN);
  });

  it("lists the day's successes with their approval numbers and zero MDR; the failure moved nothing", async () => {
    const lines = await read();
    const approval = (await kit.admin(`/transactions/${paid}`)).approval_num;
    expect(lines.map((l) => [l.kind, l.reference, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      ["charge", paid, paid, "INR", 49_900, 0],
      ["charge", small, small, "INR", 1_250, 0],
      ["refund", refund, paid, "INR", 10_050, 0],
    ]);
    expect(lines[0]?.authCode).toBe(approval);
    expect(lines[0]?.authCode).toMatch(/^\d{6}$/);
  });

  it("introduces each discrepancy it is told to in the next files, and forgets them on DELETE", async () => {
    const rrn = (await kit.admin(`/transactions/${small}`)).rrn;
    const put = await discrepancies({
      drop: [paid],
      amount: [{ reference: rrn, amount: 1_251 }],
      duplicate: [small],
      currency: [{ reference: refund, currency: "usd" }],
      fee: [{ reference: small, fee: 300 }],
      extra: [{ amount: 4_321 }],
    });
    expect(put.status).toBe(200);
    const lines = await read();
    expect(lines.map((l) => [l.kind, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      ["charge", small, "INR", 1_251, 300],
      ["charge", small, "INR", 1_251, 300],
      ["refund", paid, "USD", 10_050, 0],
      ["charge", `XTRA00000001${"0".repeat(23)}`, "INR", 4_321, 0],
    ]);
    expect((await discrepancies({ drop: ["short"] })).status).toBe(400);
    expect((await discrepancies(null)).status).toBe(200);
    expect(await read()).toHaveLength(3);
  });
});
