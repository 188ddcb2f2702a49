import type { DevJson } from "../../test/support/running-stack.js";

/** An answer, or status 0 when none came (refused, reset, or past the client's timeout). */
export interface Answer {
  status: number;
  json: Record<string, any>;
  replayed: boolean;
  ms: number;
  /** `Retry-After` (seconds), on a 429. */
  retryAfter?: string | null;
}

/** Longer than the edge's own budget for a vault call (25 s): the client gives up last. */
const CLIENT_TIMEOUT_MS = 45_000;

async function call(url: string, init: RequestInit, timeoutMs = CLIENT_TIMEOUT_MS): Promise<Answer> {
  const started = Date.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let json: Record<string, any> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, any>) : {};
    } catch {
      json = { unparsed: text.slice(0, 200) };
    }
    const replayed = response.headers.get("Idempotent-Replayed") === "true";
    const retryAfter = response.headers.get("Retry-After");
    return { status: response.status, json, replayed, ms: Date.now() - started, retryAfter };
  } catch (error) {
    return { status: 0, json: { transport: String(error) }, replayed: false, ms: Date.now() - started };
  }
}

/**
 * A merchant's call with the demo secret key (HTTP Basic), as the campaign's client makes it. A
 * 429 is the rate limiter speaking before the payment saw anything: like any well-behaved client,
 * wait `Retry-After` and send it again, so only the payment's own answers reach the checks.
 */
export async function merchant(dev: DevJson, method: string, path: string, body?: unknown, key?: string) {
  const headers: Record<string, string> = {
    Authorization: `Basic ${Buffer.from(`${dev.secret_key}:`).toString("base64")}`,
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  let answer = await call(`${dev.api}${path}`, init);
  for (let attempt = 0; answer.status === 429 && attempt < 20; attempt++) {
    await sleep(Math.min(5, Number(answer.retryAfter) || 1) * 1000);
    answer = await call(`${dev.api}${path}`, init);
  }
  return answer;
}

/** A JSON call to one of the stack's control panels (stack admin, acquirer admin, edge chaos). */
export async function control(url: string, method: string, body?: unknown, bearer?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  return call(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, 90_000);
}

/** Ops tokens live 5 minutes; the campaign asks for a new one every 4. */
export function opsTokens(dev: DevJson): () => Promise<string> {
  let token: { value: string; at: number } | undefined;
  return async () => {
    if (token && Date.now() - token.at < 240_000) return token.value;
    const basic = Buffer.from(`${dev.ops_client_id}:${dev.ops_client_secret}`).toString("base64");
    const answer = await call(`${dev.api}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${basic}` },
      body: "grant_type=client_credentials",
    });
    if (answer.status !== 200) {
      // Postgres may be stopped by the campaign itself: a token short of its 5 minutes still works.
      if (token && Date.now() - token.at < 290_000) return token.value;
      throw new Error(`ops token: ${answer.status} ${JSON.stringify(answer.json)}`);
    }
    token = { value: answer.json.access_token as string, at: Date.now() };
    return token.value;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `items.map(fn)` with at most `limit` calls at once (the stack runs on two cores). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
