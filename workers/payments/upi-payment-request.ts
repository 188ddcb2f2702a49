import type { z } from "zod";
import { upiConfigured } from "../connectors/upi/upi-switch-link.js";
import { ApiError } from "../errors/api-error.js";
import type { createPaymentSchema } from "./payments.schemas.js";

type CreateBody = z.output<typeof createPaymentSchema>;
type UpiMethod = Extract<CreateBody["payment_method"], { type: "upi" }>;

/** What the merchant asked; the payee's name is added once Postgres has said it. */
type UpiRequestWithoutPayee =
  | { flow: "collect"; vpa: string; expiresAfterMinutes: number }
  | { flow: "intent"; expiresAfterMinutes: number };

/**
 * How long a request stays payable when the merchant does not say: PhonePe's defaults, 8 minutes
 * for a collect and 10 for an intent (developer.phonepe.com; NPCI sets no default).
 */
const DEFAULT_EXPIRY_MINUTES = { collect: 8, intent: 10 } as const;

/** NPCI's per-transaction limit for ordinary P2M payments: 1,00,000 INR, in paise. */
const DEFAULT_MAX_AMOUNT_PAISE = 10_000_000;

/**
 * The checks a UPI create must pass before anything is stored (issue 14 item 3), each a 400
 * naming its parameter: UPI moves rupees only; one payment may not exceed the per-transaction
 * limit; it is single-message, so there is nothing to capture later; and the key's mode must have
 * a switch. The VPA's shape was checked by the schema; whether it exists, the switch says (in the
 * payment object, under the request's Idempotency-Key).
 */
export function upiPaymentRequest(
  env: Pick<
    Env,
    | "UPI_MAX_AMOUNT_PAISE"
    | "UPI_SWITCH_URL"
    | "UPI_SWITCH_JWKS"
    | "UPI_PSP_SIGNING_KEY"
    | "LIVE_UPI_SWITCH_URL"
    | "LIVE_UPI_SWITCH_JWKS"
    | "LIVE_UPI_PSP_SIGNING_KEY"
    | "UPI_PAYEE_HANDLE"
  >,
  livemode: boolean,
  body: CreateBody,
  method: UpiMethod,
): UpiRequestWithoutPayee {
  if (body.currency !== "INR") {
    throw new ApiError("parameter_invalid", { param: "currency", message: "UPI payments must be in inr." });
  }
  const configured = Number(env.UPI_MAX_AMOUNT_PAISE);
  const limit = Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_AMOUNT_PAISE;
  if (body.amount > limit) {
    throw new ApiError("parameter_invalid", {
      param: "amount",
      message: `A UPI payment may be at most ${limit} paise (the per-transaction limit).`,
    });
  }
  if (body.capture_method !== "automatic") {
    throw new ApiError("parameter_invalid", {
      param: "capture_method",
      message: "UPI payments are captured as the payer pays them; capture_method must be automatic.",
    });
  }
  if (!upiConfigured(env, livemode)) {
    throw new ApiError("payment_method_unavailable", {
      param: "payment_method[type]",
      message: `UPI is not enabled in ${livemode ? "live" : "test"} mode here.`,
    });
  }
  const { upi } = method;
  const expiresAfterMinutes = upi.expires_after_minutes ?? DEFAULT_EXPIRY_MINUTES[upi.flow];
  return upi.flow === "collect"
    ? { flow: "collect", vpa: upi.vpa, expiresAfterMinutes }
    : { flow: "intent", expiresAfterMinutes };
}
