import { describe, expect, it } from "vitest";
import { call, expectError, newMerchant } from "./support/api.js";
import { audited } from "./support/audit.js";
import { dashboardCall, newBrowser, newDashboardUser, signedIn, signIn } from "./support/dashboard.js";
import { deliver, transition } from "./support/projection.js";

const hex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/** A merchant with one captured test payment and one live one, as the projection holds them. */
async function merchantWithPayments() {
  const merchant = await newMerchant();
  const testPayment = `pay_${hex()}`;
  const livePayment = `pay_${hex()}`;
  await deliver([transition(merchant.id, testPayment, 3, "captured", "authorized")]);
  await deliver([transition(merchant.id, livePayment, 3, "captured", "authorized", true)]);
  return { merchant, testPayment, livePayment };
}

describe("the /v1 API through a dashboard session", () => {
  it("reads the merchant's payments with the session cookie alone, as the same API a key reaches", async () => {
    const { merchant, testPayment } = await merchantWithPayments();
    const user = await newDashboardUser(merchant.id, "read_only");
    const browser = newBrowser();
    await signedIn(browser, user.email);
    const listed = await dashboardCall(browser, "GET", "/v1/payments");
    expect(listed.status).toBe(200);
    expect(listed.json.data.map((p: { id: string }) => p.id)).toEqual([testPayment]);
    const byKey = await call("GET", "/v1/payments", { key: merchant.secretKey });
    expect(listed.json).toEqual(byKey.json);
    // The audit trail and the request log name the person, not a key.
    const [used] = await audited(
      (e) => e.action === "api_key.used" && e.actor.id === user.id && e.details.path === "/v1/payments",
    );
    expect(used).toMatchObject({
      actor: { kind: "dashboard_user", merchant_id: merchant.id },
      details: { method: "GET", path: "/v1/payments", status: 200 },
    });
  });

  it("switches to live mode: /v1 then shows live objects only, and never the test ones", async () => {
    const { merchant, testPayment, livePayment } = await merchantWithPayments();
    const user = await newDashboardUser(merchant.id, "read_only");
    const browser = newBrowser();
    const csrf = await signedIn(browser, user.email);
    const before = await dashboardCall(browser, "GET", "/v1/payments");
    expect(before.json.data.map((p: { id: string }) => p.id)).toEqual([testPayment]);
    const switched = await dashboardCall(browser, "PUT", "/dashboard/api/session/mode", {
      csrf,
      body: { mode: "live" },
    });
    expect(switched.status).toBe(200);
    expect(switched.json).toMatchObject({ mode: "live", livemode: true });
    const listed = await dashboardCall(browser, "GET", "/v1/payments");
    expect(listed.json.data.map((p: { id: string; livemode: boolean }) => [p.id, p.livemode])).toEqual([
      [livePayment, true],
    ]);
    const bad = await dashboardCall(browser, "PUT", "/dashboard/api/session/mode", { csrf, body: { mode: "prod" } });
    expectError(bad, 400, "invalid_request_error", "mode");
  });

  it("refuses a change without the session's CSRF token, or from another origin, with 403", async () => {
    const { merchant, testPayment } = await merchantWithPayments();
    const user = await newDashboardUser(merchant.id, "admin");
    const browser = newBrowser();
    const csrf = await signedIn(browser, user.email);
    const refund = `/v1/payments/${testPayment}/refund`;
    const missing = await dashboardCall(browser, "POST", refund, { body: { amount: 100 } });
    expectError(missing, 403, "invalid_request_error", "X-CSRF-Token");
    expect(missing.json.error.code).toBe("csrf_token_invalid");
    const wrong = await dashboardCall(browser, "POST", refund, {
      csrf: `${csrf.slice(0, -2)}xx`,
      body: { amount: 100 },
    });
    expect(wrong.json.error.code).toBe("csrf_token_invalid");
    const foreign = await dashboardCall(browser, "POST", refund, {
      csrf,
      origin: "https://evil.example",
      body: { amount: 100 },
    });
    expectError(foreign, 403, "invalid_request_error");
    expect(foreign.json.error.code).toBe("origin_not_allowed");
    const noOrigin = await dashboardCall(browser, "POST", refund, { csrf, origin: null, body: { amount: 100 } });
    expect(noOrigin.json.error.code).toBe("origin_not_allowed");
    const signOut = await dashboardCall(browser, "DELETE", "/dashboard/api/session");
    expect(signOut.json.error.code).toBe("csrf_token_invalid");
  });

  it("enforces roles on the server: read-only may not refund, a developer may not manage keys or users", async () => {
    const { merchant, testPayment } = await merchantWithPayments();
    const reader = newBrowser();
    const readerCsrf = await signedIn(reader, (await newDashboardUser(merchant.id, "read_only")).email);
    const refused = await dashboardCall(reader, "POST", `/v1/payments/${testPayment}/refund`, {
      csrf: readerCsrf,
      body: { amount: 100 },
    });
    expectError(refused, 403, "authentication_error");
    expect(refused.json.error.code).toBe("role_not_allowed");
    expect((await dashboardCall(reader, "GET", "/v1/payments")).status).toBe(200);

    const developer = newBrowser();
    const devCsrf = await signedIn(developer, (await newDashboardUser(merchant.id, "developer")).email);
    const key = await dashboardCall(developer, "POST", "/v1/api_keys", { csrf: devCsrf, body: { type: "secret" } });
    expect(key.json.error.code).toBe("role_not_allowed");
    const userByDev = await dashboardCall(developer, "POST", "/dashboard/api/users", {
      csrf: devCsrf,
      body: { email: "x@shop.example", password: "a long enough password", role: "admin" },
    });
    expect(userByDev.json.error.code).toBe("role_not_allowed");
    expect((await dashboardCall(developer, "GET", "/v1/api_keys")).status).toBe(200);
  });

  it("lets an admin add users and change roles, effective on the user's next request, all audited", async () => {
    const merchant = await newMerchant();
    const admin = await newDashboardUser(merchant.id, "admin");
    const browser = newBrowser();
    const csrf = await signedIn(browser, admin.email);
    const created = await dashboardCall(browser, "POST", "/dashboard/api/users", {
      csrf,
      body: { email: `  New.Person.${hex()}@Shop.example `, password: "a long enough password", role: "developer" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ object: "dashboard_user", role: "developer", merchant_id: merchant.id });
    expect(created.json.email).toBe(created.json.email.toLowerCase().trim());
    const duplicate = await dashboardCall(browser, "POST", "/dashboard/api/users", {
      csrf,
      body: { email: created.json.email, password: "a long enough password", role: "admin" },
    });
    expect(duplicate.status).toBe(409);

    const member = newBrowser();
    const memberSignIn = await signIn(member, created.json.email, "a long enough password");
    expect(memberSignIn.status).toBe(201);
    const memberCsrf = memberSignIn.json.csrf_token as string;
    expect(
      (await dashboardCall(member, "POST", "/v1/webhook_endpoints", { csrf: memberCsrf, body: {} })).json.error?.code,
    ).not.toBe("role_not_allowed");
    const demoted = await dashboardCall(browser, "PATCH", `/dashboard/api/users/${created.json.id}`, {
      csrf,
      body: { role: "read_only" },
    });
    expect(demoted.json.role).toBe("read_only");
    const after = await dashboardCall(member, "POST", "/v1/webhook_endpoints", { csrf: memberCsrf, body: {} });
    expect(after.json.error.code).toBe("role_not_allowed");

    const stranger = await newMerchant();
    const foreign = await newDashboardUser(stranger.id, "read_only");
    const cross = await dashboardCall(browser, "PATCH", `/dashboard/api/users/${foreign.id}`, {
      csrf,
      body: { role: "admin" },
    });
    expect(cross.status).toBe(404);
    const [changed] = await audited((e) => e.action === "dashboard.role_changed" && e.target_id === created.json.id);
    expect(changed).toMatchObject({
      actor: { kind: "dashboard_user", id: admin.id },
      details: { from: "developer", to: "read_only" },
    });
  });

  it("leaves API-key requests as they were: a key wins over a cookie, and no cookie means no session", async () => {
    const { merchant, testPayment } = await merchantWithPayments();
    const withKey = await call("GET", "/v1/payments", {
      key: merchant.secretKey,
      headers: { Cookie: "__Host-gw_session=forged.value" },
    });
    expect(withKey.status).toBe(200);
    expect(withKey.json.data.map((p: { id: string }) => p.id)).toEqual([testPayment]);
    const nothing = await call("GET", "/v1/payments");
    expect(nothing.json.error.code).toBe("api_key_missing");
  });
});
