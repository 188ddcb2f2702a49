import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newMerchant } from "../../test/edge/support/api.js";
import { sql } from "../../test/edge/support/database.js";
import { deliver, transition } from "../../test/edge/support/projection.js";
import { type Connection, connect } from "../db/database.js";
import { matchChargeback } from "./chargeback-match.js";
import { recordChargeback } from "./disputes.repository.js";

let connection: Connection;
beforeAll(async () => {
  connection = await connect(env);
});
afterAll(async () => {
  await connection?.close();
});

/** A captured payment (1,000 captured) whose authorization went out with `reference`. */
async function capturedPayment(reference: string, amountCaptured = 1_000, livemode = false) {
  const merchant = await newMerchant();
  const id = `pay_cb${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  await deliver([transition(merchant.id, id, 3, "captured", "authorized", livemode)]);
  await sql("update payments set processor_reference = $1, amount = $2, amount_captured = $2 where id = $3", [
    reference,
    amountCaptured,
    id,
  ]);
  return { id, merchantId: merchant.id, livemode };
}

const rrnOf = () => `9${String(Date.now()).slice(-8)}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;

describe("a chargeback advice names one payment", () => {
  it("by processor and the terminal's network, and finds acquirer A's payments from before processors had ids", async () => {
    const rrn = rrnOf();
    const onProcessor = async (processor: string, reference: string) => {
      const payment = await capturedPayment(reference);
      await sql("update payments set processor = $1 where id = $2", [processor, payment.id]);
      return payment;
    };
    const visa = await onProcessor("acquirer_a", `${rrn}-0100-000001-1125120000-visa`);
    const mastercard = await onProcessor("acquirer_a", `${rrn}-0100-000002-1125120001-mastercard`);
    const advice = {
      processor: "acquirer_a",
      network: "visa" as const,
      livemode: false,
      rrn,
      transaction_amount: 1_000,
      transaction_date: "2026-11-25",
    };
    // Same RRN, amount and date on one acquirer's two terminals: the network tells them apart.
    expect(await matchChargeback(connection.db, advice)).toEqual({ kind: "matched", payment: visa });
    expect(await matchChargeback(connection.db, { ...advice, network: "mastercard" })).toEqual({
      kind: "matched",
      payment: mastercard,
    });
    expect(await matchChargeback(connection.db, { ...advice, processor: "acquirer_b" })).toEqual({ kind: "none" });

    const older = rrnOf();
    const legacy = await capturedPayment(`${older}-0100-000003-1125120002`); // processor "visa", no suffix
    const legacyAdvice = { ...advice, rrn: older };
    expect(await matchChargeback(connection.db, legacyAdvice)).toEqual({ kind: "matched", payment: legacy });
    expect(await matchChargeback(connection.db, { ...legacyAdvice, network: "mastercard" })).toEqual({ kind: "none" });
    expect(await matchChargeback(connection.db, { ...legacyAdvice, processor: "acquirer_b" })).toEqual({
      kind: "none",
    });
  });

  it("by RRN, captured amount and transmission date, never the RRN alone across merchants", async () => {
    const rrn = rrnOf();
    const first = await capturedPayment(`${rrn}-0100-000001-1125120000`, 1_000);
    const second = await capturedPayment(`${rrn}-0100-000777-1126093000`, 2_500);
    const advice = { processor: "visa", livemode: false, rrn, transaction_amount: 2_500 };
    expect(await matchChargeback(connection.db, advice)).toEqual({ kind: "matched", payment: second });
    expect(await matchChargeback(connection.db, { ...advice, transaction_amount: 1_000 })).toEqual({
      kind: "matched",
      payment: first,
    });
    expect(await matchChargeback(connection.db, { ...advice, transaction_date: "2026-11-25" })).toEqual({
      kind: "none",
    });
    expect(await matchChargeback(connection.db, { ...advice, processor: "mastercard" })).toEqual({ kind: "none" });
  });

  it("refuses, recording nothing, an advice two merchants' payments both fit", async () => {
    const rrn = rrnOf();
    const one = await capturedPayment(`${rrn}-0100-000001-1125120000`);
    const other = await capturedPayment(`${rrn}-0100-000002-1125120001`);
    const chargeback = {
      processor: "visa",
      livemode: false,
      network_reference: `CB-${rrn}`,
      rrn,
      amount: 1_000,
      transaction_amount: 1_000,
      transaction_date: "2026-11-25",
      currency: "USD",
      reason: "fraudulent",
    };
    const answer = await recordChargeback(connection.db, chargeback);
    expect(answer).toMatchObject({ kind: "ambiguous" });
    expect(answer.kind === "ambiguous" && [...answer.paymentIds].sort()).toEqual([one.id, other.id].sort());
    expect(await sql("select 1 from disputes where network_reference = $1", [`CB-${rrn}`])).toEqual([]);
  });

  it("keeps to the advice's mode: a live advice never lands on a test payment, nor a test one on a live payment", async () => {
    const rrn = rrnOf();
    const reference = `${rrn}-0100-000001-1125120000`;
    const advice = { processor: "visa", rrn, transaction_amount: 1_000, transaction_date: "2026-11-25" };
    const test = await capturedPayment(reference);
    // Only a test payment fits: the live advice finds nothing rather than the test payment.
    expect(await matchChargeback(connection.db, { ...advice, livemode: true })).toEqual({ kind: "none" });
    // A live payment the same in every other way (its own link, its own terminal's RRNs): each
    // mode's advice picks its own payment, unambiguously.
    const live = await capturedPayment(reference, 1_000, true);
    expect(await matchChargeback(connection.db, { ...advice, livemode: true })).toEqual({
      kind: "matched",
      payment: live,
    });
    expect(await matchChargeback(connection.db, { ...advice, livemode: false })).toEqual({
      kind: "matched",
      payment: test,
    });

    const recorded = await recordChargeback(connection.db, {
      ...advice,
      livemode: true,
      network_reference: `CB-${rrn}`,
      amount: 1_000,
      currency: "usd",
      reason: "fraudulent",
    });
    expect(recorded).toMatchObject({ kind: "recorded", dispute: { paymentId: live.id, livemode: true } });
    expect(
      await sql(
        "select livemode from events where object_id = (select id from disputes where network_reference = $1)",
        [`CB-${rrn}`],
      ),
    ).toEqual([{ livemode: true }]);
  });
});
