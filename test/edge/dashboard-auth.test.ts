import { env, runInDurableObject, SELF } from "cloudflare:test";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../common/sha256-hex.js";
import type { DashboardSessionObject } from "../../durable-objects/dashboard-session/dashboard-session.object.js";
import type { SessionData } from "../../durable-objects/dashboard-session/dashboard-session.types.js";
import { call, expectError, newMerchant, opsToken } from "./support/api.js";
import { audited } from "./support/audit.js";
import { dashboardCall, newBrowser, newDashboardUser, PASSWORD, signedIn, signIn } from "./support/dashboard.js";
import { sql } from "./support/database.js";

const code = (secret: string, timestamp = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp });

/** The session object behind a `__Host-gw_session=<id>.<signature>` cookie. */
async function sessionObject(cookie: string) {
  const id = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)).split(".")[0] ?? "";
  return env.DASHBOARD_SESSIONS.getByName(await sha256Hex(`dashboard-session:${id}`));
}

describe("dashboard sign-in", () => {
  it("signs in with email and password, sets a hardened signed cookie, and never stores the password", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id, "developer");
    const browser = newBrowser();
    const answer = await signIn(browser, user.email.toUpperCase());
    expect(answer.status).toBe(201);
    expect(answer.setCookie).toMatch(/^__Host-gw_session=[^;]+\.[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(answer.json).toMatchObject({
      object: "dashboard_session",
      merchant_id: merchant.id,
      mode: "test",
      livemode: false,
      user: { id: user.id, email: user.email, role: "developer", totp_enabled: false },
    });
    expect(answer.json.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const current = await dashboardCall(browser, "GET", "/dashboard/api/session");
    expect(current.status).toBe(200);
    expect(current.json.csrf_token).toBe(answer.json.csrf_token);

    const [row] = await sql<{ password_hash: string }>("select password_hash from dashboard_users where id = $1", [
      user.id,
    ]);
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.password_hash).not.toContain(PASSWORD);
    const entries = await audited((e) => e.action === "dashboard.sign_in" && e.target_id === user.id);
    expect(entries[0]?.actor).toEqual({ kind: "dashboard_user", id: user.id, merchant_id: merchant.id });
  });

  it("answers a wrong password and an unknown email alike, and audits both without the password", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    const wrong = await signIn(newBrowser(), user.email, "not the password at all");
    expectError(wrong, 401, "authentication_error");
    expect(wrong.json.error.code).toBe("sign_in_failed");
    expect(wrong.setCookie).toBeNull();
    const unknown = await signIn(newBrowser(), `nobody.${Date.now()}@shop.example`, PASSWORD);
    expect(unknown.json.error).toMatchObject({ code: "sign_in_failed", message: wrong.json.error.message });
    const [entry] = await audited((e) => e.action === "dashboard.sign_in_failed" && e.target_id === user.id);
    expect(entry?.details).toMatchObject({ reason: "password" });
    expect(JSON.stringify(entry)).not.toContain("not the password");
  });

  it("refuses a sign-in from another origin (login CSRF) and bad input naming the parameter", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    const foreign = await dashboardCall(newBrowser(), "POST", "/dashboard/api/session", {
      body: { email: user.email, password: PASSWORD },
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe("origin_not_allowed");
    const noEmail = await dashboardCall(newBrowser(), "POST", "/dashboard/api/session", {
      body: { email: "not-an-email", password: PASSWORD },
    });
    expectError(noEmail, 400, "invalid_request_error", "email");
    const shortPassword = await call("POST", `/v1/merchants/${merchant.id}/dashboard_users`, {
      bearer: await opsToken(),
      body: { email: "new.user@shop.example", password: "too short", role: "admin" },
    });
    expectError(shortPassword, 400, "invalid_request_error", "password");
  });

  it("throttles an email after 5 failures: then even the right password gets 429 with Retry-After", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    for (let i = 0; i < 5; i++) {
      // A fresh address each time: this is the per-email limit, not the per-address one.
      expect((await signIn(newBrowser(), user.email, `wrong password ${i}!`)).status).toBe(401);
    }
    const locked = await signIn(newBrowser(), user.email);
    expectError(locked, 429, "rate_limit_error");
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(locked.setCookie).toBeNull();
    const other = await newDashboardUser(merchant.id);
    expect((await signIn(newBrowser(), other.email)).status).toBe(201);
  });

  it("gives a new session id on every sign-in: the cookie held before it stops working", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    const browser = newBrowser();
    await signedIn(browser, user.email);
    const planted = browser.cookie ?? "";
    await signedIn(browser, user.email);
    expect(browser.cookie).not.toBe(planted);
    expect((await dashboardCall(browser, "GET", "/dashboard/api/session")).status).toBe(200);
    const old = await dashboardCall(browser, "GET", "/dashboard/api/session", { cookie: planted });
    expectError(old, 401, "authentication_error");
    expect(old.json.error.code).toBe("session_missing");
  });

  it("over plain http in local development, names the cookie without __Host- and drops Secure", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    const origin = "http://127.0.0.1:8787";
    const response = await SELF.fetch(`${origin}/dashboard/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: origin, "CF-Connecting-IP": newBrowser().ip },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    const cookie = response.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^gw_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const current = await SELF.fetch(`${origin}/dashboard/api/session`, {
      headers: { Cookie: cookie.split(";")[0] ?? "" },
    });
    expect(current.status).toBe(200);
  });

  it("refuses a forged or altered cookie", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    const browser = newBrowser();
    await signedIn(browser, user.email);
    const [name, value] = (browser.cookie ?? "").split("=") as [string, string];
    const [id] = decodeURIComponent(value).split(".");
    const forged = `${name}=${encodeURIComponent(`${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`)}`;
    expect((await dashboardCall(browser, "GET", "/dashboard/api/session", { cookie: forged })).status).toBe(401);
    expect((await dashboardCall(browser, "GET", "/dashboard/api/session", { cookie: `${name}=${id}` })).status).toBe(
      401,
    );
  });

  it("signs out: the session is destroyed, its cookie cleared, and the sign-out audited", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    const browser = newBrowser();
    const csrf = await signedIn(browser, user.email);
    const cookie = browser.cookie ?? "";
    const out = await dashboardCall(browser, "DELETE", "/dashboard/api/session", { csrf });
    expect(out.status).toBe(204);
    expect(out.setCookie).toContain("Max-Age=0");
    expect((await dashboardCall(browser, "GET", "/dashboard/api/session", { cookie })).status).toBe(401);
    expect(await audited((e) => e.action === "dashboard.sign_out" && e.target_id === user.id)).toHaveLength(1);
  });

  it("ends a session after 30 idle minutes, and after 12 hours however active", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id);
    const idle = newBrowser();
    await signedIn(idle, user.email);
    await runInDurableObject(await sessionObject(idle.cookie ?? ""), async (_: DashboardSessionObject, state) => {
      const session = (await state.storage.get<SessionData>("session")) as SessionData;
      await state.storage.put("session", { ...session, lastSeenAt: Date.now() - 31 * 60_000 });
    });
    expect((await dashboardCall(idle, "GET", "/dashboard/api/session")).status).toBe(401);

    const busy = newBrowser();
    await signedIn(busy, user.email);
    await runInDurableObject(await sessionObject(busy.cookie ?? ""), async (_: DashboardSessionObject, state) => {
      const session = (await state.storage.get<SessionData>("session")) as SessionData;
      await state.storage.put("session", { ...session, createdAt: Date.now() - 12 * 3_600_000 - 1 });
    });
    expect((await dashboardCall(busy, "GET", "/dashboard/api/session")).status).toBe(401);
  });
});

describe("the TOTP second factor", () => {
  it("enrols, confirms with a code, then asks for a code at sign-in and refuses a code used before", async () => {
    const merchant = await newMerchant();
    const user = await newDashboardUser(merchant.id, "read_only");
    const browser = newBrowser();
    const csrf = await signedIn(browser, user.email);
    const enrolled = await dashboardCall(browser, "POST", "/dashboard/api/session/totp", { csrf });
    expect(enrolled.status).toBe(201);
    expect(enrolled.json.otpauth_uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    const secret = enrolled.json.secret as string;
    const [row] = await sql<{ totp_secret: string }>("select totp_secret from dashboard_users where id = $1", [
      user.id,
    ]);
    expect(row?.totp_secret).toMatch(/^v1\./);
    expect(row?.totp_secret).not.toContain(secret);

    const wrongCode = await dashboardCall(browser, "POST", "/dashboard/api/session/totp/confirm", {
      csrf,
      body: { code: code(secret, Date.now() - 10 * 60_000) },
    });
    expect(wrongCode.json.error.code).toBe("totp_invalid");
    const first = code(secret);
    const confirmed = await dashboardCall(browser, "POST", "/dashboard/api/session/totp/confirm", {
      csrf,
      body: { code: first },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.totp_enabled).toBe(true);

    const without = await signIn(newBrowser(), user.email);
    expect(without.status).toBe(401);
    expect(without.json.error).toMatchObject({ code: "totp_required", param: "totp" });
    const replayed = await signIn(newBrowser(), user.email, PASSWORD, first);
    expect(replayed.json.error?.code).toBe("totp_invalid");
    const next = code(secret, Date.now() + 30_000);
    const withCode = await signIn(newBrowser(), user.email, PASSWORD, next);
    expect(withCode.status).toBe(201);
    expect(withCode.json.user.totp_enabled).toBe(true);
    expect((await signIn(newBrowser(), user.email, PASSWORD, next)).json.error?.code).toBe("totp_invalid");
    expect(await audited((e) => e.action === "dashboard.totp_enrolled" && e.target_id === user.id)).toHaveLength(1);
  });
});
