import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AcquirerConnector } from "../connectors/card-network/acquirer-connector.js";
import {
  type InternalApi,
  type InternalApiKit,
  operationId,
  startInternalApiKit,
} from "../internal/internal-api.test-kit.js";
import { findOperation } from "./operation-journal.js";

let kit: InternalApiKit;
/** Acquirer A's Visa link in test mode: its trace counter. */
const visaOf = (api: InternalApi) =>
  (api.internal.links.connector("acquirer_a", false) as AcquirerConnector).link("visa");
const rrnOf = (reference: string) => reference.slice(0, 12);
const stanOf = (reference: string) => reference.split("-")[2];
const entryOf = (reference: string) => kit.simulator.ledger.findByRrn(rrnOf(reference));

beforeAll(async () => {
  kit = await startInternalApiKit();
});

afterAll(async () => {
  await kit?.stop();
});

describe("retrieval reference numbers (ISO 8583 field 37)", () => {
  it("are never handed out twice, even by two vault instances whose trace counters start together", async () => {
    const [first, second] = [kit.open(), kit.open()];
    const startBoth = (stan: number) => {
      visaOf(first).moveTrace(stan);
      visaOf(second).moveTrace(stan);
    };
    startBoth(424_242);
    const [saleA, saleB] = [
      await first.authorize(await kit.tokenize(), { amount: 3_000, capture: true }),
      await second.authorize(await kit.tokenize(), { amount: 4_000, capture: true }),
    ];
    expect(stanOf(saleA.processor_reference)).toBe("424243");
    startBoth(515_151);
    const token = await kit.tokenize();
    const amounts = [101, 102, 103, 201, 202, 203];
    const ids = amounts.map(() => operationId());
    const auths = await Promise.all(
      amounts.map((amount, i) =>
        (i < 3 ? first : second).authorize(token, { amount, operation_id: ids[i], capture: false }),
      ),
    );
    startBoth(616_161);
    const [refundA, refundB] = [
      await first.followUp("refund", saleA.processor_reference, { amount: 1_000 }),
      await second.followUp("refund", saleB.processor_reference, { amount: 1_500 }),
    ];

    const minted = [saleA, saleB, ...auths, refundA, refundB];
    for (const answer of minted) expect(answer.outcome).toBe("approved");
    const rrns = minted.map((answer) => rrnOf(answer.processor_reference));
    expect(new Set(rrns).size).toBe(rrns.length);
    // Each booked on its own at the acquirer, none answered with another's booked answer.
    expect(entryOf(saleA.processor_reference)).toMatchObject({ amount: 3_000, refundedAmount: 1_000 });
    expect(entryOf(saleB.processor_reference)).toMatchObject({ amount: 4_000, refundedAmount: 1_500 });
    auths.forEach((answer, i) => {
      expect(entryOf(answer.processor_reference)).toMatchObject({ kind: "authorization", amount: amounts[i] });
    });
    expect(entryOf(refundA.processor_reference)).toMatchObject({ kind: "refund", amount: 1_000 });
    expect(entryOf(refundB.processor_reference)).toMatchObject({ kind: "refund", amount: 1_500 });
    // The journal holds each RRN it minted, and the reference that went on the wire.
    const row = await findOperation(kit.harness.pool.db, ids[3] ?? "");
    expect(row).toMatchObject({ rrn: rrns[5], processorReference: auths[3]?.processor_reference });
  });

  it("claims no RRN for a completion, which carries its authorization's", async () => {
    const auth = await kit.api.authorize(await kit.tokenize(), { amount: 2_000 });
    const id = operationId();
    const capture = await kit.api.followUp("capture", auth.processor_reference, { operation_id: id, amount: 2_000 });
    expect(capture).toMatchObject({ outcome: "approved" });
    expect(rrnOf(capture.processor_reference)).toBe(rrnOf(auth.processor_reference));
    expect(await findOperation(kit.harness.pool.db, id)).toMatchObject({ state: "approved", rrn: null });
  });

  it("gives up unavailable, having sent nothing, when every fresh reference it tries is taken", async () => {
    const [first, second] = [kit.open(), kit.open()];
    visaOf(first).moveTrace(700_000);
    expect(await first.authorize(await kit.tokenize())).toMatchObject({ outcome: "approved" });
    // A counter that keeps landing on the taken STAN.
    const stuck = visaOf(second);
    const moveTrace = stuck.moveTrace.bind(stuck);
    vi.spyOn(stuck, "moveTrace").mockImplementation(() => moveTrace(700_000));
    moveTrace(700_000);
    const token = await kit.tokenize();
    const before = kit.simulator.ledger.all().length;
    const id = operationId();
    const answer = await second.authorize(token, { operation_id: id });
    expect(answer).toMatchObject({ outcome: "unavailable", processor: "acquirer_a" });
    expect(answer.reason).toMatch(/retrieval reference/);
    expect(stuck.moveTrace).toHaveBeenCalledTimes(4);
    expect(kit.simulator.ledger.all().length).toBe(before);
    expect(kit.harness.deps.cvcs.has(token)).toBe(true); // never on the wire, so never taken
    expect(await findOperation(kit.harness.pool.db, id)).toBeUndefined();
  });
});
