import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";

export const BASE = "https://gateway.test";

export interface CallOptions {
  key?: string;
  bearer?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Calls the Worker like a merchant would: over HTTP, with a key as a bearer token. */
export async function call(method: string, path: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  const token = options.bearer ?? options.key;
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("Content-Type", "application/json");
  }
  const response = await SELF.fetch(`${BASE}${path}`, { method, headers, body });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Record<string, any>) : {};
  return { status: response.status, headers: response.headers, json };
}

export async function opsToken(
  clientId = env.TEST_OPS_CLIENT_ID,
  secret = env.TEST_OPS_CLIENT_SECRET,
  scope?: string,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (scope) form.set("scope", scope);
  const response = await SELF.fetch(`${BASE}/oauth/token`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
    },
    body: form,
  });
  const json = (await response.json()) as { access_token: string };
  expect(response.status).toBe(200);
  return json.access_token;
}

let counter = 0;

/** A new merchant through the ops API, with its first secret and publishable keys. */
export async function newMerchant(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const created = await call("POST", "/v1/merchants", {
    bearer: await opsToken(),
    body: {
      name: `Test Merchant ${counter}`,
      email: `merchant${counter}@shop.example`,
      country: "US",
      default_currency: "usd",
      ...overrides,
    },
  });
  expect(created.status).toBe(201);
  return {
    id: created.json.id as string,
    merchant: created.json,
    secretKey: created.json.keys.secret.secret as string,
    secretKeyId: created.json.keys.secret.id as string,
    publishableKey: created.json.keys.publishable.secret as string,
  };
}

/** A live-mode secret key for `merchantId`: only ops can issue one (a merchant's key mints its own mode). */
export async function liveSecretKey(merchantId: string): Promise<{ id: string; secret: string }> {
  const issued = await call("POST", `/v1/merchants/${merchantId}/api_keys`, {
    bearer: await opsToken(),
    body: { type: "secret", livemode: true },
  });
  expect(issued.status).toBe(201);
  expect(issued.json.livemode).toBe(true);
  return { id: issued.json.id as string, secret: issued.json.secret as string };
}

/** Expects the DESIGN.md error shape with this status, type and (optionally) param. */
export function expectError(
  response: Awaited<ReturnType<typeof call>>,
  status: number,
  type: string,
  param?: string,
): void {
  expect(response.status).toBe(status);
  expect(response.json.error).toMatchObject({ type });
  expect(response.json.error.request_id).toBe(response.headers.get("Request-Id"));
  if (param !== undefined) expect(response.json.error.param).toBe(param);
}
