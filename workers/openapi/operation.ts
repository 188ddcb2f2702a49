import type { z } from "zod";
import type { ErrorCode } from "../errors/error-catalog.js";
import type { OpsScope } from "../oauth/ops-scopes.js";

/** Who may call an operation, and how it proves it. */
export type Auth =
  | { kind: "none" }
  | { kind: "secret_key" }
  /** A dashboard user's session cookie (workers/dashboard-auth/), with `X-CSRF-Token` on changes. */
  | { kind: "dashboard_session" }
  | { kind: "ops"; scope: OpsScope }
  /** The token endpoint: the client authenticates with its own credentials (RFC 6749 §2.3). */
  | { kind: "client_credentials" }
  /** Internal: a short-lived ES256 token the vault signs (network dispute notices). */
  | { kind: "vault_service" }
  /** The UPI switch: its RSA signature inside the XML message itself (no HTTP credential). */
  | { kind: "upi_switch" }
  /** The wallet: PayPal's webhook signature headers, checked against its certificate (no HTTP credential). */
  | { kind: "wallet" };

/** A response body: one resource, a list of them, or a schema of its own. */
export type ResponseBody =
  | { resource: string; list?: false }
  | { resource: string; list: true }
  | { schema: z.ZodType; contentType?: string };

/**
 * One route of the public API, described once. The request schemas are the very zod objects
 * the route validates with, so the document cannot drift from the validation; a test checks
 * that every route the app serves has an operation here, and the other way round.
 */
export interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path template: `/v1/payments/{id}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  body?: z.ZodType;
  /** A body that is not JSON (the token endpoint's form). */
  formBody?: z.ZodType;
  /** An XML body (NPCI's messages), described in words: its schema is NPCI's, not a JSON one. */
  xmlBody?: string;
  query?: z.ZodType;
  /** Honours `Idempotency-Key` (replays answer with `Idempotent-Replayed: true`). */
  idempotent?: boolean;
  /** The answer when it works. */
  success: { status: 200 | 201 | 202 | 204 | 303; description: string; body?: ResponseBody };
  /** A 202 with the same body: the operation was sent, its outcome is being resolved (issue 11). */
  pending?: string;
  /** Errors of this route beyond those its auth, body and query already imply. */
  errors?: (ErrorCode | ExtraErrorCode | StatusOverride)[];
}

/** Codes a payment object answers with itself (durable-objects/payment), not in the catalog. */
export type ExtraErrorCode =
  | "card_declined"
  | "card_not_supported"
  | "payment_declined"
  | "upi_vpa_invalid"
  | "processor_unavailable"
  | "payment_operation_pending"
  | "payment_unexpected_state"
  | "idempotency_key_reused"
  | "idempotency_key_in_use";

/** A code answered with another status than the catalog's on this route (the object's own). */
export interface StatusOverride {
  code: ErrorCode | ExtraErrorCode;
  status: number;
}
