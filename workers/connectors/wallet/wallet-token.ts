import { log } from "../../logging/logger.js";
import {
  basicCredentials,
  errorMessage,
  isDefiniteRefusal,
  parseJson,
  readBody,
  type WalletRefusal,
} from "./wallet-http.js";
import type { WalletLink } from "./wallet-link.js";
import { oauthErrorSchema, tokenSchema } from "./wallet-wire.js";

/** A token answer is under 1 KB (scope, token, app id, nonce). */
const MAX_TOKEN_ANSWER_BYTES = 16 * 1024;

/**
 * A token is renewed this long before PayPal says it expires, so a call that starts just before
 * the end never carries a dead one (at most half its life, for short-lived tokens).
 */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Tokens per isolate, by the app that got them. PayPal's live 9 hours (`expires_in` 32400), so
 * one serves an isolate's calls for its whole life. Two calls racing on an empty cache may each
 * get one: PayPal honours both, and the later one stays.
 */
const tokens = new Map<string, { token: string; renewAt: number }>();

const keyOf = (link: WalletLink) => `${link.livemode}\n${link.url}\n${link.clientId}\n${link.clientSecret}`;

export type WalletToken = { kind: "ok"; token: string } | WalletRefusal;

/**
 * A bearer token for the link's REST app: the cached one while it is fresh, else a new one by
 * OAuth 2.0 client credentials (RFC 6749 §4.4, as developer.paypal.com/api/rest/authentication
 * runs it: `POST /v1/oauth2/token`, HTTP Basic client id and secret,
 * `grant_type=client_credentials`). A refusal (401 `invalid_client`: the credentials are wrong) is
 * definite and the call it was for is not made; null is no answer (no connection, the deadline,
 * a 5xx, a body that is not a token).
 */
export async function walletAccessToken(link: WalletLink, signal: AbortSignal): Promise<WalletToken | null> {
  const key = keyOf(link);
  const cached = tokens.get(key);
  if (cached && cached.renewAt > Date.now()) return { kind: "ok", token: cached.token };
  // The token's life is counted from before the request: PayPal's clock started somewhere after it.
  const requested = Date.now();
  let response: Response;
  try {
    response = await fetch(`${link.url}/v1/oauth2/token`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${basicCredentials(link.clientId, link.clientSecret)}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: "grant_type=client_credentials",
      redirect: "manual",
      signal,
    });
  } catch (error) {
    log("warn", "wallet token: no answer", { livemode: link.livemode, error: errorMessage(error) });
    return null;
  }
  const body = parseJson((await readBody(response, MAX_TOKEN_ANSWER_BYTES)) ?? "");
  if (response.ok) {
    const token = tokenSchema.safeParse(body);
    if (!token.success) {
      log("warn", "wallet token: answer is not a token", { livemode: link.livemode, status: response.status });
      return null;
    }
    const lifeMs = token.data.expires_in * 1000;
    const renewAt = requested + lifeMs - Math.min(RENEW_BEFORE_EXPIRY_MS, lifeMs / 2);
    tokens.set(key, { token: token.data.access_token, renewAt });
    return { kind: "ok", token: token.data.access_token };
  }
  const error = oauthErrorSchema.safeParse(body);
  if (isDefiniteRefusal(response.status) && error.success) {
    log("error", "wallet token refused: check the mode's client id and secret", {
      livemode: link.livemode,
      status: response.status,
      issue: error.data.error,
    });
    return { kind: "refused", status: response.status, issue: error.data.error, debugId: null };
  }
  log("warn", "wallet token: no usable answer", { livemode: link.livemode, status: response.status });
  return null;
}

/**
 * Forgets the cached token, if it is still `token` (or whatever it is, without one): the API
 * refused it (revoked, or expired early), and the next call gets a new one. A newer token another
 * call already got is kept.
 */
export function forgetWalletToken(link: WalletLink, token?: string): void {
  const key = keyOf(link);
  if (token === undefined || tokens.get(key)?.token === token) tokens.delete(key);
}
