import { withDeadline } from "../../common/deadline-signal.js";
import { BUDGETS } from "../../common/timeout-budgets.js";
import type {
  AuthorizeRequest,
  AuthorizeResponse,
  FollowUpRequest,
  InquireRequest,
  InquireResponse,
  OperationResponse,
} from "../../common/vault-internal-api.js";
import { timedStage } from "../middleware/server-timing/timing-scope.js";
import { vaultToken } from "./vault-token.js";

type VaultEnv = { VAULT_URL: string; VAULT_SIGNING_KEY: string };

/**
 * One call. It gives up at `deadline` (epoch ms): the vault has promised an answer before it
 * (`BUDGETS.vaultReplyMarginMs` earlier), so a call still open then is lost, not slow, and the
 * caller's persisted intent is resolved later by inquiry.
 */
async function call<T>(env: VaultEnv, path: string, body: unknown, subject: string, deadline: number): Promise<T> {
  // Serialized once: the token's body hash is over exactly these bytes.
  const request = { method: "POST", path: `/internal/v1/${path}`, body: JSON.stringify(body) };
  const token = await vaultToken(env, subject, request);
  // The round trip is the `vault` stage of Server-Timing; signing the token stays the caller's.
  return timedStage("vault", () =>
    withDeadline(deadline - Date.now(), async (signal) => {
      const response = await fetch(`${env.VAULT_URL}${request.path}`, {
        method: request.method,
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: request.body,
        signal,
      });
      if (!response.ok) throw new VaultCallError(path, response.status, await response.text());
      return (await response.json()) as T;
    }),
  );
}

/** The vault refused the call (not a decline: declines are 200 outcomes). */
export class VaultCallError extends Error {
  /** The vault's own error code, when the answer is the vault's error body (not a proxy's page). */
  readonly code: string | null;

  constructor(
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`vault ${path} answered ${status}: ${body.slice(0, 200)}`);
    this.name = "VaultCallError";
    this.code = vaultErrorCode(body);
  }
}

function vaultErrorCode(body: string): string | null {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" ? code : null;
  } catch {
    return null;
  }
}

/** The edge's client of the vault's internal API; each operation's deadline travels in its body. */
export const vault = {
  authorize: (env: VaultEnv, request: AuthorizeRequest) =>
    call<AuthorizeResponse>(env, "authorize", request, request.payment_id, request.deadline),
  capture: (env: VaultEnv, request: FollowUpRequest) =>
    call<OperationResponse>(env, "capture", request, request.payment_id, request.deadline),
  void: (env: VaultEnv, request: FollowUpRequest) =>
    call<OperationResponse>(env, "void", request, request.payment_id, request.deadline),
  refund: (env: VaultEnv, request: FollowUpRequest) =>
    call<OperationResponse>(env, "refund", request, request.payment_id, request.deadline),
  inquire: (env: VaultEnv, request: InquireRequest, subject: string) =>
    call<InquireResponse>(env, "inquire", request, subject, Date.now() + BUDGETS.edgeInquiryCallMs),
};
