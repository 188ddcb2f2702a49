import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PayPalSettlementReportReader } from "../../workers/reconciliation/layouts/paypal-settlement-report.js";
import { expectDropRefusals } from "../reports/drop-refusals.js";
import { type Json, WalletKit } from "./test-kit.js";

/**
 * The wallet's settlement report (PayPal's STL layout) as the gateway pulls it: authenticated,
 * the day so far, its footers adding up, read by the gateway's own reader, and wrong on purpose
 * when told.
 */
const TOKEN = "wallet-settlement-test-token-0123456789";
const today = new Date().toISOString().slice(0, 10);
let kit: WalletKit;
let captured: { order: string; capture: string };
let manual: { order: string; capture: string };
let yen: { order: string; capture: string };
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
  const reader = new PayPalSettlementReportReader(today);
  const lines = reader.push(text);
  expect(reader.end()).toBe(lines.length);
  return { text, lines };
}

const discrepancies = (body: unknown) =>
  fetch(`${kit.sim.adminUrl}/reports/discrepancies`, {
    method: body === null ? "DELETE" : "PUT",
    headers: { "Content-Type": "application/json" },
    ...(body === null ? {} : { body: JSON.stringify(body) }),
  });

const payments = (order: Json) => order.purchase_units[0].payments;

async function capturedOrder(options: Parameters<WalletKit["orderBody"]>[0]) {
  const order = await kit.approvedOrder("approve@wallet.test", options);
  const done = await kit.api("POST", `/v2/checkout/orders/${order}/capture`, {});
  expect(done.status).toBe(201);
  return { order, capture: payments(done.body).captures[0].id as string };
}

beforeAll(async () => {
  kit = await WalletKit.start({ reportToken: TOKEN });
  captured = await capturedOrder({ value: "499.00" });
  const held = await kit.approvedOrder("approve@wallet.test", { intent: "AUTHORIZE", value: "100.00" });
  const authorized = await kit.api("POST", `/v2/checkout/orders/${held}/authorize`, {});
  const authorization = payments(authorized.body).authorizations[0].id as string;
  const part = await kit.api("POST", `/v2/payments/authorizations/${authorization}/capture`, {
    amount: { currency_code: "USD", value: "60.00" },
    final_capture: true,
  });
  expect(part.status).toBe(201);
  manual = { order: held, capture: part.body.id };
  yen = await capturedOrder({ value: "1500", currency: "JPY" });
  const back = await kit.api("POST", `/v2/payments/captures/${captured.capture}/refund`, {
    amount: { currency_code: "USD", value: "100.00" },
  });
  expect(back.status).toBe(201);
  refund = back.body.id;
  // Approved and never captured: no money moved, no row.
  await kit.approvedOrder();
});

afterAll(async () => {
  await kit?.stop();
});

describe("the settlement report's drop", () => {
  it("answers 401 with a Bearer challenge without the right token, and refuses days it cannot have", async () => {
    await expectDropRefusals(pull, today, TOKEN);
  });

  it("lists the day's captures (T0006) and refunds (T1107), fees from PayPal's rate, footers adding up", async () => {
    const { text, lines } = await read();
    const rows = text.trimEnd().split("\r\n");
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      '"RH"',
      '"FH"',
      '"SH"',
      '"CH"',
      '"SB"',
      '"SB"',
      '"SB"',
      '"SB"',
      '"SF"',
      '"SF"',
      '"SC"',
      '"RF"',
      '"RF"',
      '"RC"',
      '"FF"',
    ]);
    expect(rows[2]).toContain(`"${today.replaceAll("-", "/")} 00:00:00 +0000"`);
    // Two implied decimals whatever the currency: ¥1500 is written 150000.
    expect(rows.find((row) => row.includes('"JPY"') && row.startsWith('"SB"'))).toContain('150000,"JPY"');
    expect(rows.at(-1)).toBe('"FF",15');
    expect(lines.map((l) => [l.kind, l.reference, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      // 3.49% + 0.49, half up: 1741.51 -> 1742 + 49; 209.40 -> 209 + 49; ¥52.35 -> 52 + 49.
      ["charge", captured.capture, captured.capture, "USD", 49_900, 1_791],
      ["charge", manual.capture, manual.capture, "USD", 6_000, 258],
      ["charge", yen.capture, yen.capture, "JPY", 1_500, 101],
      ["refund", refund, captured.capture, "USD", 10_000, 0],
    ]);
  });

  it("introduces each discrepancy it is told to in the next reports, and forgets them on DELETE", async () => {
    const put = await discrepancies({
      drop: [yen.order],
      amount: [{ reference: manual.capture, amount: 6_001 }],
      duplicate: [captured.capture],
      currency: [{ reference: refund, currency: "eur" }],
      fee: [{ reference: manual.capture, fee: 1 }],
      extra: [{ amount: 4_321, currency: "USD" }],
    });
    expect(put.status).toBe(200);
    const { lines } = await read();
    expect(lines.map((l) => [l.kind, l.paymentReference, l.currency, l.amount, l.fee])).toEqual([
      ["charge", captured.capture, "USD", 49_900, 1_791],
      ["charge", captured.capture, "USD", 49_900, 1_791],
      ["charge", manual.capture, "USD", 6_001, 1],
      ["refund", captured.capture, "EUR", 10_000, 0],
      ["charge", "XTRA0000000000001", "USD", 4_321, 0],
    ]);
    expect((await discrepancies({ drop: ["short"] })).status).toBe(400);
    expect((await discrepancies(null)).status).toBe(200);
    expect((await read()).lines).toHaveLength(4);
  });
});
