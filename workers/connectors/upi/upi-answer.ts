import { upiCode } from "../../../common/upi/upi-codes.js";
import type { UpiResp } from "../../../common/upi/upi-messages.js";

/**
 * What the switch says of a transaction, in the gateway's terms, from a RespPay callback or a
 * RespChkTxn alike (NPCI's Resp/@result and @errCode, with the legs' Ref elements):
 * - `succeeded`: debited and credited (or deemed and then confirmed); the RRN names it in the books;
 * - `failed`: definite, no money moved, or it moved back (a credit that failed is reversed first:
 *   the switch reports FAILURE only once the reversal is confirmed);
 * - `expired`: the payer never approved before the collect or intent lapsed (U69);
 * - `pending`: not final yet (awaiting the payer, a reversal under way, or deemed): ask again;
 * - `not_found`: the switch has no such transaction (yet, or ever: see the fence in upi-timers.ts).
 */
export type UpiAnswer =
  | { status: "succeeded"; rrn: string | null; approvalNum: string | null; payerVpa: string | null }
  | { status: "failed"; code: string }
  | { status: "expired"; code: string }
  | { status: "pending"; deemed: boolean }
  | { status: "not_found" };

export function upiAnswerOf(resp: UpiResp, rrn: string | undefined): UpiAnswer {
  switch (resp.result) {
    case "SUCCESS": {
      const payer = resp.refs.find((ref) => ref.type === "PAYER");
      return {
        status: "succeeded",
        rrn: rrn ?? null,
        approvalNum: resp.approvalNum ?? payer?.approvalNum ?? null,
        payerVpa: payer?.addr ?? null,
      };
    }
    case "PENDING":
      return { status: "pending", deemed: false };
    case "DEEMED":
      return { status: "pending", deemed: true };
    case "FAILURE": {
      const code = resp.errCode ?? "";
      const kind = upiCode(code).kind;
      if (kind === "expired") return { status: "expired", code };
      if (kind === "not_found") return { status: "not_found" };
      return { status: "failed", code };
    }
    default: {
      const unreachable: never = resp.result;
      throw new Error(`unknown UPI result ${String(unreachable)}`);
    }
  }
}
