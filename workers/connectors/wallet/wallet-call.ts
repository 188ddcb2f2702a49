import type { z } from "zod";
import { withDeadline } from "../../../common/deadline-signal.js";
import { log } from "../../logging/logger.js";
import { timedStage } from "../../middleware/server-timing/timing-scope.js";
import { errorMessage, isDefiniteRefusal, parseJson, readBody, type WalletRefusal } from "./wallet-http.js";
import type { WalletLink } from "./wallet-link.js";
import { forgetWalletToken, walletAccessToken } from "./wallet-token.js";
import { errorSchema } from "./wallet-wire.js";

/**
 * What one call to the wallet gave:
 * - `ok`: a 2xx with the resource (`status` 201 for a POST run now, 200 for one PayPal had already
 *   run under the same PayPal-Request-Id, or for a read);
 * - `refused`: a definite no (see WalletRefusal): nothing happened;
 * - null: no usable answer (no connection, the deadline, a 5xx, a 409 or 429, a redirect, a body
 *   that is not what was asked for). Never a refusal: the caller finds out by GET, or by repeating
 *   the POST under the same PayPal-Request-Id, which PayPal answers with what the first one did.
 */
export type WalletReply<T> = { kind: "ok"; status: number; resource: T; debugId: string | null } | WalletRefusal | null;

/** An order with its payments and a few refunds is a few KB; anything near this is not one. */
const MAX_ANSWER_BYTES = 256 * 1024;

/** PayPal-Request-Id: 1 to 108 characters (Orders v2 and Payments v2 request headers). */
const REQUEST_ID = /^[\x21-\x7e]{1,108}$/;

export interface WalletRequest<T> {
  method: "GET" | "POST";
  /** Under the link's URL, ids already URI-encoded. */
  path: string;
  /** A POST's JSON body (`{}` when it has none: PayPal's capture and authorize take an empty object). */
  body?: unknown;
  /** Required on a POST: the gateway's operation id, so that a repeat is the same request to PayPal. */
  requestId?: string;
  /** What a 2xx must hold; an empty body (204) is parsed as `null`. */
  schema: z.ZodType<T>;
  /** The whole call's budget: the token, the request and its answer, and the one retry after a 401. */
  timeoutMs: number;
  /** Test mode only: a sandbox negative test, `PayPal-Mock-Response: {"mock_application_codes": mock}`. */
  mock?: string;
}

function send(link: WalletLink, request: WalletRequest<unknown>, token: string, signal: AbortSignal) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  if (request.method === "POST") {
    headers["Content-Type"] = "application/json";
    // The whole resource, not PayPal's minimal id-status-links: the answer is checked against the request.
    headers.Prefer = "return=representation";
    headers["PayPal-Request-Id"] = request.requestId ?? "";
  }
  if (request.mock !== undefined && !link.livemode) {
    headers["PayPal-Mock-Response"] = JSON.stringify({ mock_application_codes: request.mock });
  }
  return fetch(`${link.url}${request.path}`, {
    method: request.method,
    headers,
    ...(request.method === "POST" ? { body: JSON.stringify(request.body ?? {}) } : {}),
    // A redirect is not PayPal's API answering; following one would carry the token elsewhere.
    redirect: "manual",
    signal,
  });
}

async function answerOf<T>(link: WalletLink, request: WalletRequest<T>, response: Response): Promise<WalletReply<T>> {
  const where = { livemode: link.livemode, method: request.method, path: request.path, status: response.status };
  const debugId = response.headers.get("Paypal-Debug-Id");
  const text = await readBody(response, MAX_ANSWER_BYTES);
  const body = text === null ? undefined : parseJson(text);
  if (response.status >= 200 && response.status < 300) {
    const resource = request.schema.safeParse(body);
    if (resource.success) return { kind: "ok", status: response.status, resource: resource.data, debugId };
    log("warn", "wallet answer unreadable", { ...where, debug_id: debugId });
    return null;
  }
  const error = errorSchema.safeParse(body);
  if (isDefiniteRefusal(response.status) && error.success) {
    const issue = error.data.details?.[0]?.issue ?? error.data.name;
    return { kind: "refused", status: response.status, issue, debugId: error.data.debug_id ?? debugId };
  }
  log("warn", "wallet gave no usable answer", { ...where, debug_id: debugId });
  return null;
}

/**
 * One call to the wallet's REST API with the link's bearer token, within `timeoutMs` all told. A
 * 401 means the token was refused (revoked, or expired before its time): it is forgotten and the
 * call made once more with a new one (safe: a 401 ran nothing, and a POST carries its request id).
 * All of it is the `network` stage of Server-Timing.
 */
export function callWallet<T>(link: WalletLink, request: WalletRequest<T>): Promise<WalletReply<T>> {
  return timedStage("network", () => withDeadline(request.timeoutMs, (signal) => walletCall(link, request, signal)));
}

async function walletCall<T>(
  link: WalletLink,
  request: WalletRequest<T>,
  signal: AbortSignal,
): Promise<WalletReply<T>> {
  if (request.method === "POST" && !REQUEST_ID.test(request.requestId ?? "")) {
    throw new RangeError("a wallet POST needs a PayPal-Request-Id of 1 to 108 visible ASCII characters");
  }
  for (let attempt = 1; ; attempt++) {
    const token = await walletAccessToken(link, signal);
    if (token?.kind !== "ok") return token;
    let response: Response;
    try {
      response = await send(link, request, token.token, signal);
    } catch (error) {
      const fields = { livemode: link.livemode, method: request.method, path: request.path };
      log("warn", "wallet gave no answer", { ...fields, error: errorMessage(error) });
      return null;
    }
    if (response.status !== 401 || attempt > 1) return answerOf(link, request, response);
    await response.body?.cancel().catch(() => {});
    forgetWalletToken(link, token.token);
  }
}
