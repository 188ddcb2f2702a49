import type {
  AuthorizeRequest,
  AuthorizeResponse,
  FollowUpRequest,
  InquireRequest,
  InquireResponse,
  OperationResponse,
} from "../../common/vault-internal-api.js";
import { vaultToken } from "./vault-token.js";

/** Longer than the vault's own card-network timeout plus one reversal, so its answer wins. */
const VAULT_TIMEOUT_MS = 30_000;

type VaultEnv = { VAULT_URL: string; VAULT_SIGNING_KEY: string };

async function call<T>(env: VaultEnv, path: string, body: unknown, subject: string): Promise<T> {
  const response = await fetch(`${env.VAULT_URL}/internal/v1/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${await vaultToken(env, subject)}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(VAULT_TIMEOUT_MS),
  });
  if (!response.ok) throw new VaultCallError(path, response.status, await response.text());
  return (await response.json()) as T;
}

/** The vault refused the call (not a decline: declines are 200 outcomes). */
export class VaultCallError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`vault ${path} answered ${status}: ${body.slice(0, 200)}`);
    this.name = "VaultCallError";
  }
}

/** The edge's client of the vault's internal API; `subject` names the payment the call is for. */
export const vault = {
  authorize: (env: VaultEnv, request: AuthorizeRequest) =>
    call<AuthorizeResponse>(env, "authorize", request, request.payment_id),
  capture: (env: VaultEnv, request: FollowUpRequest, subject: string) =>
    call<OperationResponse>(env, "capture", request, subject),
  void: (env: VaultEnv, request: FollowUpRequest, subject: string) =>
    call<OperationResponse>(env, "void", request, subject),
  refund: (env: VaultEnv, request: FollowUpRequest, subject: string) =>
    call<OperationResponse>(env, "refund", request, subject),
  inquire: (env: VaultEnv, request: InquireRequest, subject: string) =>
    call<InquireResponse>(env, "inquire", request, subject),
};
