import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevJson, request, startStack, tokenize } from "../../support/running-stack.js";

/**
 * Issue 12, item 1, through `npm start`: test mode and live mode are two worlds (DESIGN invariant
 * 6). The demo merchant pays with its keys of each mode through the real chain (the vault's
 * tokenization, the edge, the payment's object, the vault, ISO 8583 over TCP), and each mode's
 * payments reach only its own acquirer simulator: test mode's, or the second one that stands in
 * for the real network behind live mode. A key of one mode gets 404 for the other mode's payment,
 * never lists it, cannot refund it, and cannot pay with the other mode's tokens; none of those
 * attempts reaches either simulator's books. One stack for the whole file.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack();
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

type Mode = "test" | "live";

interface LedgerEntry {
  terminal: string;
  rrn: string;
  kind: "authorization" | "sale" | "refund";
  last4: string;
  amount: number;
  status: string;
  refundedAmount: number;
  originalRrn: string | null;
}

const keys = (mode: Mode) =>
  mode === "live"
    ? { secret: dev.live_secret_key, publishable: dev.live_publishable_key }
    : { secret: dev.secret_key, publishable: dev.publishable_key };

/** Approved cards of `simulators/acquirer/test-cards.ts`, one per network, and the vault's terminal per mode. */
const CARDS = [
  { number: "4242424242424242", network: "visa", terminal: { test: "GWVISA01", live: "GWVISL01" } },
  { number: "5555555555554444", network: "mastercard", terminal: { test: "GWMC0001", live: "GWMCL001" } },
] as const;

async function ledger(admin: string): Promise<LedgerEntry[]> {
  const response = await fetch(`${admin}/ledger`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { entries: LedgerEntry[] }).entries;
}

/** Both simulators' books: test mode's acquirer and the live stand-in. */
async function books(): Promise<Record<Mode, LedgerEntry[]>> {
  return { test: await ledger(dev.acquirer_admin), live: await ledger(dev.live_acquirer_admin) };
}

async function newToken(mode: Mode, number: string): Promise<string> {
  const token = await tokenize(dev, keys(mode).publishable, number);
  expect(token.status, JSON.stringify(token.json)).toBe(201);
  expect(token.json).toMatchObject({ object: "token", livemode: mode === "live" });
  return token.json.id as string;
}

/** A sale (automatic capture) with a secret key; every amount in this file is unique, so it names its entry. */
const pay = (secretKey: string, token: string, amount: number) =>
  request(dev, "/v1/payments", {
    method: "POST",
    key: secretKey,
    headers: { "Idempotency-Key": randomUUID() },
    json: { amount, currency: "usd", payment_method: { type: "card", token } },
  });

const read = (secretKey: string, id: string) => request(dev, `/v1/payments/${id}`, { key: secretKey });

const listed = async (secretKey: string) => {
  const list = await request(dev, "/v1/payments?limit=100", { key: secretKey });
  expect(list.status).toBe(200);
  return list.json.data as { id: string; livemode: boolean }[];
};

const noSuchPayment = (answer: { status: number; json: Record<string, any> }) => {
  expect(answer.status, JSON.stringify(answer.json)).toBe(404);
  expect(answer.json.error).toMatchObject({ type: "invalid_request_error", code: "resource_missing", param: "id" });
};

const noSuchToken = (answer: { status: number; json: Record<string, any> }) => {
  expect(answer.status, JSON.stringify(answer.json)).toBe(400);
  expect(answer.json.error).toMatchObject({
    type: "invalid_request_error",
    code: "resource_missing",
    param: "payment_method[token]",
  });
};

/** The Visa payment each mode made, for the tests that try it from the other mode. */
const paid: Partial<Record<Mode, { id: string; rrn: string }>> = {};

async function payInMode(mode: Mode, baseAmount: number) {
  const other: Mode = mode === "live" ? "test" : "live";
  for (const [i, card] of CARDS.entries()) {
    const amount = baseAmount + i;
    const payment = await pay(keys(mode).secret, await newToken(mode, card.number), amount);
    expect(payment.status, JSON.stringify(payment.json)).toBe(200);
    expect(payment.json).toMatchObject({
      livemode: mode === "live",
      status: "captured",
      amount,
      // Both modes route a Visa or Mastercard card to acquirer A by default (issue 13); each
      // mode's acquirer A is its own: the test simulator, or the live stand-in.
      processor: "acquirer_a",
      payment_method: { card: { brand: card.network } },
    });

    const after = await books();
    expect(after[mode].filter((entry) => entry.amount === amount)).toEqual([
      expect.objectContaining({
        kind: "sale",
        status: "captured",
        terminal: card.terminal[mode],
        last4: card.number.slice(-4),
      }),
    ]);
    expect(after[other].filter((entry) => entry.amount === amount)).toEqual([]);
    if (card.network === "visa") {
      const entry = after[mode].find((e) => e.amount === amount);
      paid[mode] = { id: payment.json.id as string, rrn: entry!.rrn };
    }
  }
}

/** Polls until `done` holds: the list comes from Postgres, which the payment-events queue fills. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`never settled: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("test mode and live mode through npm start", () => {
  it("pays with pk_live_ and sk_live_ on both networks, and only the live stand-in books it", async () => {
    await payInMode("live", 4_101);
  });

  it("pays with pk_test_ and sk_test_ on both networks, and only the test acquirer books it", async () => {
    await payInMode("test", 4_201);
  });

  it("answers 404 to a key of the other mode, and never lists a payment in the other mode", async () => {
    const live = paid.live!.id;
    const test = paid.test!.id;
    expect((await read(dev.live_secret_key, live)).status).toBe(200);
    expect((await read(dev.secret_key, test)).status).toBe(200);
    noSuchPayment(await read(dev.secret_key, live));
    noSuchPayment(await read(dev.live_secret_key, test));
    noSuchPayment(await request(dev, `/v1/payments/${live}/events`, { key: dev.secret_key }));

    // Each key's list holds its own mode's payment (once projected) and never the other's.
    const liveList = await eventually(
      () => listed(dev.live_secret_key),
      (list) => list.some((payment) => payment.id === live),
    );
    const testList = await eventually(
      () => listed(dev.secret_key),
      (list) => list.some((payment) => payment.id === test),
    );
    expect(liveList.map((payment) => payment.livemode)).not.toContain(false);
    expect(testList.map((payment) => payment.livemode)).not.toContain(true);
    expect(testList.map((payment) => payment.id)).not.toContain(live);
    expect(liveList.map((payment) => payment.id)).not.toContain(test);
  });

  it("refuses a token of one mode in the other as no such token, and neither attempt reaches an acquirer", async () => {
    const liveToken = await newToken("live", "4242424242424242");
    const testToken = await newToken("test", "4242424242424242");
    const before = await books();

    noSuchToken(await pay(dev.secret_key, liveToken, 4_301));
    noSuchToken(await pay(dev.live_secret_key, testToken, 4_302));
    expect(await books()).toEqual(before);

    // The tokens themselves are good: each pays in its own mode, at its own acquirer.
    expect((await pay(dev.live_secret_key, liveToken, 4_311)).json).toMatchObject({ status: "captured" });
    expect((await pay(dev.secret_key, testToken, 4_312)).json).toMatchObject({ status: "captured" });
    const after = await books();
    expect(after.live.filter((entry) => entry.amount === 4_311)).toHaveLength(1);
    expect(after.test.filter((entry) => entry.amount === 4_312)).toHaveLength(1);
    for (const amount of [4_301, 4_302, 4_311]) expect(after.test.filter((e) => e.amount === amount)).toEqual([]);
    for (const amount of [4_301, 4_302, 4_312]) expect(after.live.filter((e) => e.amount === amount)).toEqual([]);
  });

  it("answers 404 to a refund of a live payment by the test key, and the live stand-in books no refund", async () => {
    const live = paid.live!;
    const refund = (secretKey: string) =>
      request(dev, `/v1/payments/${live.id}/refund`, {
        method: "POST",
        key: secretKey,
        headers: { "Idempotency-Key": randomUUID() },
        json: { amount: 1_000 },
      });
    const refundsOf = (entries: LedgerEntry[]) => entries.filter((entry) => entry.kind === "refund");

    noSuchPayment(await refund(dev.secret_key));
    const after = await books();
    expect(refundsOf(after.live)).toEqual([]);
    expect(refundsOf(after.test)).toEqual([]);
    expect(after.live.find((entry) => entry.rrn === live.rrn)).toMatchObject({ refundedAmount: 0 });
    expect((await read(dev.live_secret_key, live.id)).json).toMatchObject({ amount_refunded: 0 });

    // The live key can refund it, and that refund is booked at the live stand-in only.
    const own = await refund(dev.live_secret_key);
    expect(own.status, JSON.stringify(own.json)).toBe(200);
    const settled = await eventually(books, (now) => refundsOf(now.live).length > 0, 10_000);
    expect(refundsOf(settled.live)).toEqual([
      expect.objectContaining({ originalRrn: live.rrn, amount: 1_000, status: "captured" }),
    ]);
    expect(refundsOf(settled.test)).toEqual([]);
  });
});
