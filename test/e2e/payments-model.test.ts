import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, type DevJson, startStack, tokenizeCard } from "../support/running-stack.js";
import { query } from "../support/sql-client.js";

/**
 * Model-based test of the orchestrator against the real stack (workerd, vault, acquirer
 * simulator over ISO 8583, Postgres): random sequences of create, capture, cancel and refund,
 * with retries and concurrent duplicates, checked step by step against a small reference model,
 * then against the Postgres projection and the acquirer's ledger. fast-check prints the seed and
 * path of a failing run: `fc.assert(..., { seed, path })` replays it.
 */
interface ModelPayment {
  id: string;
  status: string;
  amount: number;
  capturable: number;
  captured: number;
  refunded: number;
  transitions: number;
}

interface Model {
  payments: ModelPayment[];
}

interface Real {
  dev: DevJson;
  approveToken: string;
  declineToken: string;
  last: { path: string; json: unknown; key: string; reply: Awaited<ReturnType<typeof apiCall>> } | null;
}

let stack: Awaited<ReturnType<typeof startStack>>;
let real: Real;
const totals = { captured: 0, refunded: 0 };

beforeAll(async () => {
  stack = await startStack();
  real = {
    dev: stack.dev,
    approveToken: await tokenizeCard(stack.dev, "4242424242424242"),
    declineToken: await tokenizeCard(stack.dev, "4000000000009995"),
    last: null,
  };
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

let keys = 0;
const freshKey = () => `model-${Date.now()}-${++keys}`;

async function post(r: Real, path: string, json: unknown) {
  const key = freshKey();
  const reply = await apiCall(r.dev, "POST", path, { json, idempotencyKey: key });
  r.last = { path, json, key, reply };
  return reply;
}

function expectAmounts(body: Record<string, any>, p: ModelPayment) {
  expect(body).toMatchObject({
    status: p.status,
    amount: p.amount,
    amount_capturable: p.capturable,
    amount_captured: p.captured,
    amount_refunded: p.refunded,
  });
  expect(body.amount_captured).toBeLessThanOrEqual(body.amount);
  expect(body.amount_refunded).toBeLessThanOrEqual(body.amount_captured);
}

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly amount: number,
    readonly manual: boolean,
    readonly decline: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const reply = await post(r, "/v1/payments", {
      amount: this.amount,
      currency: "usd",
      payment_method: { type: "card", token: this.decline ? r.declineToken : r.approveToken },
      capture_method: this.manual ? "manual" : "automatic",
    });
    const body = this.decline ? reply.json.error.payment : reply.json;
    expect(reply.status).toBe(this.decline ? 402 : 200);
    const p: ModelPayment = this.decline
      ? { id: body.id, status: "failed", amount: this.amount, capturable: 0, captured: 0, refunded: 0, transitions: 3 }
      : this.manual
        ? {
            id: body.id,
            status: "authorized",
            amount: this.amount,
            capturable: this.amount,
            captured: 0,
            refunded: 0,
            transitions: 3,
          }
        : {
            id: body.id,
            status: "captured",
            amount: this.amount,
            capturable: 0,
            captured: this.amount,
            refunded: 0,
            transitions: 4,
          };
    expectAmounts(body, p);
    if (p.status === "captured") totals.captured += p.captured;
    m.payments.push(p);
  }
  toString = () =>
    `create(${this.amount}, ${this.manual ? "manual" : "automatic"}${this.decline ? ", declined card" : ""})`;
}

class Capture implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly fraction: number,
  ) {}
  check = (m: Readonly<Model>) => m.payments.length > 0;
  async run(m: Model, r: Real) {
    const p = m.payments[this.index % m.payments.length]!;
    const amount = Math.max(1, Math.round(p.amount * this.fraction));
    const reply = await post(r, `/v1/payments/${p.id}/capture`, { amount_to_capture: amount });
    if (p.status !== "authorized") return void expect(reply.status).toBe(409);
    if (amount > p.capturable) return void expect(reply.status).toBe(400);
    expect(reply.status).toBe(200);
    Object.assign(p, { status: "captured", captured: amount, capturable: 0, transitions: p.transitions + 1 });
    totals.captured += amount;
    expectAmounts(reply.json, p);
  }
  toString = () => `capture(#${this.index}, ${this.fraction})`;
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.payments.length > 0;
  async run(m: Model, r: Real) {
    const p = m.payments[this.index % m.payments.length]!;
    const reply = await post(r, `/v1/payments/${p.id}/cancel`, {});
    if (p.status !== "authorized") return void expect(reply.status).toBe(409);
    expect(reply.status).toBe(200);
    Object.assign(p, { status: "voided", capturable: 0, transitions: p.transitions + 1 });
    expectAmounts(reply.json, p);
  }
  toString = () => `cancel(#${this.index})`;
}

class Refund implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly amount: number,
  ) {}
  check = (m: Readonly<Model>) => m.payments.length > 0;
  async run(m: Model, r: Real) {
    const p = m.payments[this.index % m.payments.length]!;
    const reply = await post(r, `/v1/payments/${p.id}/refund`, { amount: this.amount });
    if (p.status !== "captured" && p.status !== "partially_refunded") return void expect(reply.status).toBe(409);
    if (this.amount > p.captured - p.refunded) return void expect(reply.status).toBe(400);
    expect(reply.status).toBe(200);
    p.refunded += this.amount;
    p.status = p.refunded === p.captured ? "refunded" : "partially_refunded";
    p.transitions += 1;
    totals.refunded += this.amount;
    expectAmounts(reply.json, p);
  }
  toString = () => `refund(#${this.index}, ${this.amount})`;
}

/**
 * A client retry: the last POST again with its Idempotency-Key. An answer that started an
 * operation (a success, a decline) comes back as it was; one that started none (a 400 or a 409)
 * was not saved, so the request runs again, and with nothing changed meanwhile answers the same.
 */
class Retry implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, r: Real) {
    if (!r.last) return;
    const again = await apiCall(r.dev, "POST", r.last.path, { json: r.last.json, idempotencyKey: r.last.key });
    if (r.last.reply.status >= 500) return; // a 5xx is not kept: the retry runs again
    expect(again.status).toBe(r.last.reply.status);
    if (r.last.reply.status === 400 || r.last.reply.status === 409) {
      expect(again.json.error.code).toBe(r.last.reply.json.error.code);
      expect(again.replayed).toBe(false);
      return;
    }
    expect(again.json).toEqual(r.last.reply.json);
    expect(again.replayed).toBe(true);
  }
  toString = () => "retry(last POST)";
}

/** Two identical refunds with one key at once: one takes effect, the other is a 409 or a replay. */
class DuplicateRefund implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.payments.length > 0;
  async run(m: Model, r: Real) {
    const p = m.payments[this.index % m.payments.length]!;
    const key = freshKey();
    const send = () =>
      apiCall(r.dev, "POST", `/v1/payments/${p.id}/refund`, { json: { amount: 1 }, idempotencyKey: key });
    const replies = await Promise.all([send(), send()]);
    const refundable = (p.status === "captured" || p.status === "partially_refunded") && p.captured - p.refunded >= 1;
    const ok = replies.filter((reply) => reply.status === 200);
    if (!refundable) return void expect(replies.every((reply) => reply.status === 409)).toBe(true);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(replies.every((reply) => reply.status === 200 || reply.status === 409)).toBe(true);
    p.refunded += 1;
    p.status = p.refunded === p.captured ? "refunded" : "partially_refunded";
    p.transitions += 1;
    totals.refunded += 1;
    for (const reply of ok) expectAmounts(reply.json, p);
  }
  toString = () => `duplicate refund(#${this.index}, 1)`;
}

const commands = [
  fc
    .tuple(fc.integer({ min: 200, max: 5_000 }), fc.boolean(), fc.boolean())
    .map(([a, manual, decline]) => new Create(a, manual, decline && a % 5 === 0)),
  fc.tuple(fc.nat(), fc.constantFrom(0.5, 1, 1.5)).map(([i, f]) => new Capture(i, f)),
  fc.nat().map((i) => new Cancel(i)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3_000 })).map(([i, a]) => new Refund(i, a)),
  fc.constant(new Retry()),
  fc.nat().map((i) => new DuplicateRefund(i)),
];

describe("the orchestrator against a reference model (fast-check)", () => {
  it("keeps every invariant over random sequences with retries and concurrent duplicates", async () => {
    const seen: ModelPayment[] = [];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 15 }), async (cmds) => {
        const model: Model = { payments: [] };
        real.last = null;
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        for (const p of model.payments) {
          const read = await apiCall(real.dev, "GET", `/v1/payments/${p.id}`);
          expectAmounts(read.json, p);
          const events = await apiCall(real.dev, "GET", `/v1/payments/${p.id}/events`);
          expect(events.json.data).toHaveLength(p.transitions);
        }
        seen.push(...model.payments);
      }),
      { numRuns: 8, verbose: true },
    );

    // The projection converges to the objects' state.
    const deadline = Date.now() + 30_000;
    let mismatched = seen.map((p) => p.id);
    while (mismatched.length > 0 && Date.now() < deadline) {
      const rows = await query<{ id: string; status: string; amount_captured: string; amount_refunded: string }>(
        real.dev.database_url,
        "select id, status, amount_captured, amount_refunded from payments where id = any($1)",
        [seen.map((p) => p.id)],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      mismatched = seen
        .filter((p) => {
          const row = byId.get(p.id);
          return (
            !row ||
            row.status !== p.status ||
            Number(row.amount_captured) !== p.captured ||
            Number(row.amount_refunded) !== p.refunded
          );
        })
        .map((p) => p.id);
      if (mismatched.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(mismatched).toEqual([]);

    // The acquirer's books agree with ours.
    const ledger = (await (await fetch(`${real.dev.acquirer_admin}/ledger`)).json()) as {
      entries: { kind: string; status: string; capturedAmount: number; refundedAmount: number }[];
    };
    const originals = ledger.entries.filter((entry) => entry.kind !== "refund" && entry.status === "captured");
    expect(originals.reduce((sum, entry) => sum + entry.capturedAmount, 0)).toBe(totals.captured);
    expect(originals.reduce((sum, entry) => sum + entry.refundedAmount, 0)).toBe(totals.refunded);
  }, 600_000);
});
