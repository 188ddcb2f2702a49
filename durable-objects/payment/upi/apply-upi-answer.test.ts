import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IdempotencyKeys } from "../idempotency-keys.js";
import type { OperationIntent } from "../operations/operation-intent.js";
import type { OperationContext } from "../operations/start-operation.js";
import type { PaymentObject } from "../payment.object.js";
import { newPaymentRecord } from "../payment-record.js";
import { PaymentStore } from "../payment-store.js";
import { applyUpiAnswer } from "./apply-upi-answer.js";

const TXN = `GWY${"a".repeat(32)}`;

/** A UPI collect in `processing` with its ReqPay's intent pending, straight into an object's storage. */
function seed(state: DurableObjectState): OperationContext {
  const store = new PaymentStore(state.storage);
  const id = `pay_${state.id.toString()}`;
  store.create(
    newPaymentRecord({
      id,
      merchantId: "acct_upi",
      livemode: false,
      idempotencyKey: null,
      amount: 49_900,
      currency: "INR",
      captureMethod: "automatic",
      token: null,
      upi: {
        flow: "collect",
        vpa: "success@upi",
        payee_vpa: "acct_upi@gwy",
        payee_name: "Shop",
        txn_id: TXN,
        rrn: null,
        expires_at: new Date(Date.now() + 480_000).toISOString(),
      },
      customerId: null,
      description: null,
      metadata: {},
      requestHash: "hash",
    }),
  );
  const intent: OperationIntent = {
    id: "op_upi_1",
    kind: "authorize",
    amount: 49_900,
    processor: "upi_switch",
    processor_reference: null,
    refund_id: null,
    refund_reason: null,
    reason: "api",
    deadline: Date.now() + 15_000,
    state: "pending",
    announced: true,
    resolve_at: Date.now() + 90_000,
    inquiries: 0,
    result: null,
    decline_code: null,
    created_at: new Date().toISOString(),
    upi_txn_id: TXN,
  };
  store.transition("processing", { processor: "upi_switch" });
  store.saveOperation(intent);
  return {
    store,
    keys: new IdempotencyKeys(state.storage),
    env,
    storage: state.storage,
    waitUntil: () => {},
    idempotencyKey: null,
  };
}

const inObject = <T>(name: string, run: (context: OperationContext) => T) =>
  runInDurableObject(env.PAYMENTS.getByName(name), async (_instance: PaymentObject, state) => run(seed(state)));

describe("applying the switch's word to a UPI payment, in workerd", () => {
  it("captures once: a second answer (a callback after the status check, or twice) changes nothing", async () => {
    const after = await inObject("upi-once", (context) => {
      const success = { status: "succeeded", rrn: "633600000001", approvalNum: "123456", payerVpa: null } as const;
      expect(applyUpiAnswer(context, "op_upi_1", success, "status_check")).toBe("done");
      const version = context.store.payment()?.version;
      expect(applyUpiAnswer(context, "op_upi_1", success, "callback")).toBe("done");
      expect(applyUpiAnswer(context, "op_upi_1", { status: "failed", code: "U30" }, "callback")).toBe("done");
      return { payment: context.store.payment(), version, events: context.store.events() };
    });
    expect(after.payment).toMatchObject({
      status: "captured",
      amount_captured: 49_900,
      processor_reference: "633600000001",
      next_action: null,
      pending_operation: null,
      upi: { rrn: "633600000001", vpa: "success@upi" },
    });
    expect(after.payment?.version).toBe(after.version);
    expect(after.events.map((event) => event.new_status)).toEqual(["created", "processing", "captured"]);
  });

  it("moves a payment whose Ack was lost to requires_action when the switch says it is pending", async () => {
    const after = await inObject("upi-pending", (context) => {
      expect(applyUpiAnswer(context, "op_upi_1", { status: "pending", deemed: false }, "status_check")).toBe("pending");
      expect(applyUpiAnswer(context, "op_upi_1", { status: "pending", deemed: true }, "status_check")).toBe("pending");
      return context.store.payment();
    });
    expect(after).toMatchObject({
      status: "requires_action",
      next_action: { type: "upi_collect", upi_collect: { vpa: "success@upi" } },
    });
  });

  it("leaves a transaction the switch does not know pending: only the caller, past the fence, calls it not sent", async () => {
    const after = await inObject("upi-not-found", (context) => {
      expect(applyUpiAnswer(context, "op_upi_1", { status: "not_found" }, "status_check")).toBe("pending");
      expect(applyUpiAnswer(context, "op_upi_1", { status: "not_sent" }, "status_check")).toBe("done");
      return context.store.payment();
    });
    expect(after).toMatchObject({ status: "failed", decline_code: "processor_unavailable", processor_response: null });
  });

  it("ends a lapsed request expired and a declined one failed with NPCI's code mapped", async () => {
    const expired = await inObject("upi-expired", (context) => {
      applyUpiAnswer(context, "op_upi_1", { status: "expired", code: "U69" }, "callback");
      return context.store.payment();
    });
    expect(expired).toMatchObject({ status: "expired", decline_code: "upi_collect_expired", amount_captured: 0 });
    const declined = await inObject("upi-declined", (context) => {
      applyUpiAnswer(context, "op_upi_1", { status: "failed", code: "ZA" }, "callback");
      return context.store.payment();
    });
    expect(declined).toMatchObject({
      status: "failed",
      decline_code: "upi_declined_by_payer",
      processor_response: { network_response_code: "ZA" },
    });
    expect(declined?.attempts?.[0]).toMatchObject({ status: "declined", network_code: "ZA" });
  });
});
