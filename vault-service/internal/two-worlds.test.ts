import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { query } from "../../test/support/sql-client.js";
import { findOperation } from "../operations/operation-journal.js";
import { type Answer, type InternalApiKit, operationId, PAN, startInternalApiKit } from "./internal-api.test-kit.js";

/**
 * DESIGN invariant 6 at the vault: test mode and live mode are two worlds. Each has its own
 * acquirer simulator here (live mode's stands in for the real network, as under `npm start`), so
 * each world's books show what reached it. Payment ids are this file's own: the vault refuses a
 * payment's operation in the other mode than its authorization's.
 */
let kit: InternalApiKit;
const db = () => kit.harness.pool.db;
const rrnOf = (answer: Answer) => String(answer.processor_reference).slice(0, 12);
const accessLog = (token: string) =>
  query(kit.harness.database.url, "select * from vault_card_access_log where token = $1", [token]);
/** The ids of a call about `payment`, in live mode. */
const live = (payment: string) => ({ payment_id: payment, operation_id: operationId(payment), livemode: true });

beforeAll(async () => {
  kit = await startInternalApiKit();
  kit.api.internal.resolver.start();
});

afterEach(async () => {
  await kit.setFault({ mode: "none" }, { live: true });
});

afterAll(async () => {
  await kit?.stop();
});

describe("test mode and live mode", () => {
  it("answers a token of the other mode exactly as one never issued, and reads no card", async () => {
    const tokens = { test: await kit.tokenize(), live: await kit.tokenize(PAN, "123", { livemode: true }) };
    const refusal = async (token: string, livemode: boolean) => {
      const payment = livemode ? "pay_crossinglive" : "pay_crossingtest";
      const { status, json } = await kit.api.call("authorize", {
        operation_id: operationId(payment),
        deadline: Date.now() + 25_000,
        merchant_id: kit.merchant.id,
        payment_id: payment,
        livemode,
        token,
        amount: 1_999,
        currency: "USD",
        capture: false,
      });
      const { request_id: _, message, ...error } = json.error;
      return { status, error: { ...error, message: message.replace(token, "<token>") } };
    };
    const unknown = await refusal("tok_neverissued000000000000", false);
    expect(unknown).toMatchObject({ status: 404, error: { code: "resource_missing", param: "token" } });
    expect(await refusal(tokens.live, false)).toEqual(unknown);
    expect(await refusal(tokens.test, true)).toEqual(unknown);
    for (const token of Object.values(tokens)) {
      expect(await accessLog(token)).toHaveLength(0); // never decrypted
      expect(kit.harness.deps.cvcs.has(token)).toBe(true); // never taken
    }
    // Each still pays in its own mode.
    expect(await kit.api.authorize(tokens.live, live("pay_ownmode"))).toMatchObject({ outcome: "approved" });
    expect(await kit.api.authorize(tokens.test)).toMatchObject({ outcome: "approved" });
  });

  it("sends each mode's authorization, capture and refund only to that mode's network, and journals the mode", async () => {
    const terminals = { test: "GWVISA01", live: "GWVISL01" };
    for (const livemode of [false, true]) {
      const payment = livemode ? "pay_livebooks" : "pay_testbooks";
      const ids = () => ({ payment_id: payment, operation_id: operationId(payment), livemode });
      const [authorize, capture, refund] = [ids(), ids(), ids()];
      const token = await kit.tokenize(PAN, "123", { livemode });
      const auth = await kit.api.authorize(token, { ...authorize, amount: 3_000 });
      const reference = auth.processor_reference;
      const captured = await kit.api.followUp("capture", reference, { ...capture, amount: 3_000 });
      const refunded = await kit.api.followUp("refund", reference, { ...refund, amount: 1_000 });
      for (const answer of [auth, captured, refunded]) expect(answer.outcome).toBe("approved");
      const books = livemode ? kit.liveSimulator.ledger : kit.simulator.ledger;
      expect(books.findByRrn(rrnOf(auth))).toMatchObject({
        terminal: livemode ? terminals.live : terminals.test,
        capturedAmount: 3_000,
        refundedAmount: 1_000,
      });
      expect(books.findByRrn(rrnOf(refunded))).toMatchObject({ kind: "refund", amount: 1_000 });
      for (const { operation_id } of [authorize, capture, refund]) {
        expect(await findOperation(db(), operation_id)).toMatchObject({ livemode });
      }
    }
    // Neither world's books hold anything of the other's.
    expect(kit.simulator.ledger.all().map((entry) => entry.terminal)).not.toContain(terminals.live);
    expect(kit.liveSimulator.ledger.all().map((entry) => entry.terminal)).not.toContain(terminals.test);
  });

  it("works a live authorization whose answer was lost on live mode's link: reversed there, never on test's", async () => {
    await kit.setFault({ mode: "never_answer", messages: ["0100"] }, { live: true });
    const ids = live("pay_liveunknown");
    const auth = await kit.api.authorize(await kit.tokenize(PAN, "123", { livemode: true }), ids);
    expect(auth).toMatchObject({ outcome: "unknown", resolution: "reversal" });
    expect(await kit.api.settled(ids.operation_id)).toMatchObject({ outcome: "no_effect" });
    expect(kit.liveSimulator.ledger.findByRrn(rrnOf(auth))).toMatchObject({ status: "reversed", reversals: 1 });
    expect(kit.simulator.ledger.findByRrn(rrnOf(auth))).toBeUndefined();
  });

  it("answers live operations unavailable, journaling and sending nothing, when live mode has no link to the processor", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(PAN, "123", { livemode: true }), live("pay_unlinked"));
    expect(auth.outcome).toBe("approved");
    const unlinked = kit.open({ liveLinks: false });
    const token = await kit.tokenize(PAN, "123", { livemode: true });
    const books = () => [kit.simulator.ledger.all().length, kit.liveSimulator.ledger.all().length];
    const before = books();
    // The edge names the processor its router chose: refused before the card is read.
    const [authorize, capture] = [{ ...live("pay_unlinked"), processor: "acquirer_a" }, live("pay_unlinked")];
    const noLink = {
      outcome: "unavailable",
      processor: "acquirer_a",
      reason: "acquirer_a is not configured in live mode",
    };
    expect(await unlinked.authorize(token, authorize)).toEqual(noLink);
    expect(await unlinked.followUp("capture", auth.processor_reference, capture)).toEqual(noLink);
    expect(books()).toEqual(before);
    for (const { operation_id } of [authorize, capture])
      expect(await findOperation(db(), operation_id)).toBeUndefined();
    expect(await accessLog(token)).toHaveLength(0);
    expect(kit.harness.deps.cvcs.has(token)).toBe(true);
    // Test mode's links are its own, and still there.
    expect(await unlinked.authorize(await kit.tokenize())).toMatchObject({ outcome: "approved" });
  });

  it("refuses a follow-up in the other mode than its payment's authorization, sending nothing", async () => {
    const payment = "pay_crossfollowup";
    const auth = await kit.api.authorize(await kit.tokenize(PAN, "123", { livemode: true }), live(payment));
    const id = operationId(payment);
    const response = await kit.api.call("capture", {
      operation_id: id,
      deadline: Date.now() + 25_000,
      payment_id: payment,
      livemode: false,
      processor: "acquirer_a",
      processor_reference: auth.processor_reference,
      amount: 1_999,
      currency: "USD",
    });
    expect(response.status).toBe(409);
    expect(response.json.error).toMatchObject({ code: "livemode_mismatch", param: "livemode" });
    expect(await findOperation(db(), id)).toBeUndefined();
    expect(kit.liveSimulator.ledger.findByRrn(rrnOf(auth))).toMatchObject({ status: "approved", capturedAmount: 0 });
  });

  it("never replays an operation id journaled in one mode to a call in the other", async () => {
    // A void of a reference never booked (so no authorization of the payment is journaled).
    const acquirerA = kit.api.internal.links.connector("acquirer_a", false);
    const context = { operationId: "op_never_booked", brand: "visa" as const };
    const reference = acquirerA?.reference("authorization", null, context) ?? "";
    const ids = { payment_id: "pay_replayed", operation_id: operationId("pay_replayed") };
    await kit.api.followUp("void", reference, { ...ids, livemode: false });
    expect(await findOperation(db(), ids.operation_id)).toMatchObject({ livemode: false, kind: "reversal" });
    const again = await kit.api.call("void", {
      ...ids,
      deadline: Date.now() + 25_000,
      livemode: true,
      processor: "acquirer_a",
      processor_reference: reference,
      amount: 1_999,
      currency: "USD",
    });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: "operation_id_reused" });
  });
});
