import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTLEMENT_HEADER } from "./settlement-file.js";
import { UpiSwitchKit, until } from "./test-kit.js";

/** The daily settlement file, and the books surviving a restart through their journal. */
let kit: UpiSwitchKit;
beforeAll(async () => {
  kit = await UpiSwitchKit.start();
});
afterAll(async () => {
  await kit?.stop();
});

const today = () => new Date().toISOString().slice(0, 10);
const finalState = (txnId: string) =>
  until(
    () => kit.admin(`/transactions/${txnId}`),
    (txn) => txn.state === "SUCCESS" || txn.state === "FAILURE",
  );

describe("the settlement file", () => {
  it("lists the day's final txns and refunds, one CSV row each, and is written to DATA_DIR on close", async () => {
    const paid = kit.collect("success@upi", 49_900);
    const failed = kit.collect("funds@upi", 1_000);
    const waiting = kit.collect("manual@upi", 700);
    for (const request of [paid, failed, waiting]) await kit.send(request);
    const payment = await finalState(paid.txn.id);
    const failure = await finalState(failed.txn.id);
    const refund = kit.refund(paid.txn.id, "success@upi", 10_050);
    await kit.send(refund);
    const refunded = await finalState(refund.txn.id);

    const csv = (await kit.admin(`/settlement/${today()}`)) as string;
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(SETTLEMENT_HEADER);
    const row = (id: string) => lines.find((line) => line.startsWith(id))?.split(",");
    expect(row(paid.txn.id)).toEqual([
      paid.txn.id,
      payment.rrn,
      "COLLECT",
      "",
      "success@upi",
      "shop@gwy",
      "499.00",
      "SUCCESS",
      "00",
      payment.final_at,
      "INR",
      "0.00",
      payment.approval_num,
    ]);
    expect(row(failed.txn.id)?.slice(6, 9)).toEqual(["10.00", "FAILURE", "Z9"]);
    expect(row(refund.txn.id)).toEqual([
      refund.txn.id,
      refunded.rrn,
      "REFUND",
      paid.txn.id,
      "shop@gwy",
      "success@upi",
      "100.50",
      "SUCCESS",
      "00",
      refunded.final_at,
      "INR",
      "0.00",
      refunded.approval_num,
    ]);
    expect(row(waiting.txn.id)).toBeUndefined();
    expect(failure.err_code).toBe("Z9");
    expect((await kit.admin("/settlement/1999-01-01")).trimEnd()).toBe(SETTLEMENT_HEADER);

    const closed = await kit.admin(`/settlement/${today()}/close`, { method: "POST" });
    expect(closed.path).toBe(join(kit.dataDir, "settlement", `${today()}.csv`));
    expect(readFileSync(closed.path, "utf8")).toBe(csv);
    expect((await fetch(`${kit.sim.adminUrl}/settlement/yesterday`)).status).toBe(400);
  });
});

describe("the journal", () => {
  it("brings the books back after a restart, and a collect still waiting can be approved then", async () => {
    const paid = kit.collect("success@upi", 2_000);
    const waiting = kit.collect("manual@upi", 3_000);
    await kit.send(paid);
    await kit.send(waiting);
    await finalState(paid.txn.id);
    const before = await kit.admin("/transactions");
    const accounts = await kit.admin("/accounts");
    const journal = join(kit.dataDir, "upi-switch-ledger.jsonl");
    expect(existsSync(journal)).toBe(true);

    await kit.restart();
    expect(await kit.admin("/transactions")).toEqual(before);
    expect(await kit.admin("/accounts")).toEqual(accounts);
    expect((await kit.send({ ...paid, head: kit.head() })).message).toMatchObject({ err: "U01" });

    const approved = await fetch(`${kit.sim.url}/payer/approve`, {
      method: "POST",
      body: new URLSearchParams({ txn: waiting.txn.id }),
    });
    expect(await approved.text()).toContain("Payment approved");
    expect((await finalState(waiting.txn.id)).state).toBe("SUCCESS");
    expect(statSync(journal).size).toBeGreaterThan(0);
  });

  it("resumes a pending timer after a restart: an expiring collect still lapses", async () => {
    const expiring = kit.collect("expire@upi", 100);
    await kit.send(expiring);
    await kit.restart();
    expect(await finalState(expiring.txn.id)).toMatchObject({ state: "FAILURE", err_code: "U69" });
    await until(
      () => kit.callbacksFor(expiring.txn.id),
      (found) => found.length > 0,
    );
  });
});
