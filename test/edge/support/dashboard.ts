import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { BASE, call, opsToken } from "./api.js";

export const PASSWORD = "correct horse battery staple";
const COOKIE = "__Host-gw_session";

let counter = 0;

/** A dashboard user of `merchantId`, made by ops as onboarding does. */
export async function newDashboardUser(merchantId: string, role: "admin" | "developer" | "read_only" = "admin") {
  counter += 1;
  const email = `User${counter}.${Date.now().toString(36)}@Shop.example`;
  const created = await call("POST", `/v1/merchants/${merchantId}/dashboard_users`, {
    bearer: await opsToken(),
    body: { email, password: PASSWORD, role },
  });
  expect(created.status).toBe(201);
  return { id: created.json.id as string, email: email.toLowerCase() };
}

export interface Browser {
  /** The `name=value` pair the browser sends back, if it holds a session cookie. */
  cookie?: string;
  /** A client address of its own, so sign-in throttling in one test does not reach another. */
  ip: string;
}

let addresses = 0;
export function newBrowser(): Browser {
  addresses += 1;
  return { ip: `198.51.100.${addresses}` };
}

export interface DashboardCall {
  body?: unknown;
  csrf?: string;
  origin?: string | null;
  cookie?: string;
}

/** A request as the dashboard's page makes it: its cookie, its origin, JSON. */
export async function dashboardCall(browser: Browser, method: string, path: string, options: DashboardCall = {}) {
  const headers = new Headers({ "CF-Connecting-IP": browser.ip });
  const cookie = options.cookie ?? browser.cookie;
  if (cookie) headers.set("Cookie", cookie);
  if (options.origin !== null) headers.set("Origin", options.origin ?? BASE);
  if (options.csrf) headers.set("X-CSRF-Token", options.csrf);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("Content-Type", "application/json");
  }
  const response = await SELF.fetch(`${BASE}${path}`, { method, headers, body });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Record<string, any>) : {};
  const set = response.headers.get("Set-Cookie");
  const issued = set?.startsWith(`${COOKIE}=`) ? set.split(";")[0] : undefined;
  if (issued && !issued.endsWith("=")) browser.cookie = issued;
  return { status: response.status, headers: response.headers, json, setCookie: set };
}

export async function signIn(browser: Browser, email: string, password = PASSWORD, totp?: string) {
  return dashboardCall(browser, "POST", "/dashboard/api/session", {
    body: { email, password, ...(totp ? { totp } : {}) },
  });
}

/** Signs in and answers the session's CSRF token. */
export async function signedIn(browser: Browser, email: string): Promise<string> {
  const answer = await signIn(browser, email);
  expect(answer.status).toBe(201);
  return answer.json.csrf_token as string;
}
