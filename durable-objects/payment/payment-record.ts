import type { ProjectedPayment, ProjectedRefund } from "../../common/payment-event-message.js";

/** The orchestrator's own record of its payment: the projection's shape, plus the processor reference. */
export interface PaymentRecord extends ProjectedPayment {
  processor_reference: string | null;
  /** When an unknown outcome (processor timeout) is next inquired about; null when definite. */
  resolve_at: string | null;
  resolve_attempts: number;
  /** A manual-capture authorization not captured by then is voided by the alarm. */
  void_at: string | null;
}

export type RefundRecord = ProjectedRefund;

/** An HTTP answer built inside the object, stored as is for idempotent replay. */
export interface PaymentReply {
  status: number;
  body: unknown;
  replayed?: boolean;
}
