import { TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, warnWithoutChromium } from "../support/chromium.js";
import { apiCall, type DevJson, opsToken, request, startStack } from "../support/running-stack.js";
import { WebhookReceiver } from "../support/webhook-receiver.js";

/**
 * The merchant dashboard (issue 18 items 2, 4, 5) in Debian's Chromium, through the whole `npm
 * start` stack: sign-in (with and without TOTP, throttled), the payments list and a payment's
 * page, a refund, a read-only user refused, the mode switch, a webhook resent, a key rolled, CSRF
 * and session fixation refused, and the issue's own check from the demo shop's hosted checkout.
 */
warnWithoutChromium("the dashboard tests");

const EXPIRY = `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, "0")}`;
const PASSWORD = "correct horse battery staple";

interface DashboardLogins {
  dashboard_email: string;
  dashboard_password: string;
  dashboard_readonly_email: string;
  dashboard_readonly_password: string;
}

let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson & DashboardLogins;
let browser: Browser;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  if (!hasChromium) return;
  await receiver.start();
  // The receiver is on loopback over http, which only the local switch allows (as the webhook e2e tests do).
  stack = await startStack({ WEBHOOK_LOCAL_RECEIVERS: "on" });
  dev = stack.dev as DevJson & DashboardLogins;
  browser = await launchChromium();
}, 200_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await receiver.stop();
});

/**
 * A page that records every console error, uncaught exception and failed response ("no console
 * errors"); a test expecting a refusal names the statuses it expects.
 */
async function watchedPage(viewport = { width: 1024, height: 768 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  return { context, page, errors };
}

async function signInOnPage(page: Page, email: string, password: string) {
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("#login-form button[type=submit]");
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${dev.api}/dashboard/login`);
  await signInOnPage(page, email, password);
  await page.waitForURL((url) => url.pathname === "/dashboard");
}

/** Presses an action's button, then its confirmation, and waits for the answer in its status line. */
async function confirmAction(page: Page, form: string) {
  await page.click(`${form} button[type=submit]`);
  await expect.poll(() => page.locator(`${form} .confirm`).isVisible()).toBe(true);
  await page.click(`${form} button[type=submit]`);
  await expect
    .poll(() => page.locator(`${form} .status`).getAttribute("class"), { timeout: 30_000 })
    .toMatch(/ok|error/);
}

/** A dashboard user of the demo merchant, made by ops as onboarding does. */
async function newUser(role: "admin" | "read_only") {
  const email = `dash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@shop.example`;
  const created = await request(dev, `/v1/merchants/${dev.merchant_id}/dashboard_users`, {
    method: "POST",
    bearer: await opsToken(dev),
    json: { email, password: PASSWORD, role },
  });
  expect(created.status).toBe(201);
  return email;
}

/** A signed-in session made outside the browser (Node's fetch), as the page itself would. */
async function apiSession(email: string, password = PASSWORD) {
  const response = await fetch(`${dev.api}/dashboard/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: dev.api },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(201);
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
  const csrf = ((await response.json()) as { csrf_token: string }).csrf_token;
  const send = async (path: string, body: unknown) => {
    const answer = await fetch(`${dev.api}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: dev.api, Cookie: cookie, "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
    return { status: answer.status, json: (await answer.json()) as Record<string, any> };
  };
  return { cookie, send };
}

/** A captured test payment of the demo merchant, through the API with a tokenized 4242 card. */
async function capturedPayment(amount = 4200) {
  const token = await fetch(`${dev.vault}/v1/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${dev.publishable_key}` },
    body: JSON.stringify({ card: { number: "4242424242424242", exp_month: 12, exp_year: 2034, cvc: "123" } }),
  }).then((response) => response.json() as Promise<{ id: string }>);
  const created = await apiCall(dev, "POST", "/v1/payments", {
    json: { amount, currency: "usd", payment_method: { type: "card", token: token.id }, description: "Dashboard test" },
    idempotencyKey: crypto.randomUUID(),
  });
  expect(created.json.status).toBe("captured");
  return created.json.id as string;
}

/** Waits until the payment is in the Postgres projection the list reads. */
async function listed(id: string) {
  await expect
    .poll(
      async () =>
        (await apiCall(dev, "GET", "/v1/payments?limit=100")).json.data.some((p: { id: string }) => p.id === id),
      {
        timeout: 30_000,
      },
    )
    .toBe(true);
}

describe.skipIf(!hasChromium)("the merchant dashboard in Chromium", () => {
  it("the issue's check: pay at the demo shop through the hosted checkout, sign in from its link, refund part, see it in the API", async () => {
    const { page, errors } = await watchedPage();
    await page.goto(dev.merchant_site);
    await Promise.all([page.waitForURL((url) => url.pathname.startsWith("/checkout/cs_")), page.click("#pay-hosted")]);
    const fields = page.frameLocator('iframe[name="gateway-card"]');
    await fields.locator("#number").fill("4242 4242 4242 4242");
    await fields.locator("#exp").fill(EXPIRY);
    await fields.locator("#cvc").fill("123");
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(`${dev.merchant_site}/success?`), { timeout: 30_000 }),
      page.click("#pay"),
    ]);
    const paymentId = (await page.locator("#payment-id").textContent()) ?? "";
    expect(paymentId).toMatch(/^pay_/);

    // The shop's link lands on sign-in, and sign-in lands back on the payment.
    await Promise.all([page.waitForURL((url) => url.pathname === "/dashboard/login"), page.click("#dashboard-link")]);
    await signInOnPage(page, dev.dashboard_email, dev.dashboard_password);
    await page.waitForURL((url) => url.pathname === `/dashboard/payments/${paymentId}`);
    expect(await page.locator("#payment-id").textContent()).toBe(paymentId);
    expect(await page.locator("#payment-status").getAttribute("data-status")).toBe("captured");
    expect(await page.locator("#timeline").textContent()).toContain("payment.captured");

    await page.fill("#refund-amount", "5.00");
    await confirmAction(page, "#refund-form");
    expect(await page.locator("#refund-form .status").textContent()).toBe("Done.");
    await page.waitForLoadState("load");
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator("#timeline").textContent();
        },
        { timeout: 30_000 },
      )
      .toContain("payment.partially_refunded");
    expect(await page.locator("#amount-refunded").textContent()).toBe("$5.00");
    expect(await page.locator("#refunds").textContent()).toContain("$5.00");
    expect(errors).toEqual([]);

    const payment = await apiCall(dev, "GET", `/v1/payments/${paymentId}`);
    expect(payment.json).toMatchObject({ status: "partially_refunded", amount_refunded: 500 });
    expect(payment.json.refunds).toEqual([expect.objectContaining({ amount: 500, status: "succeeded" })]);
  });

  it("filters payments by status, opens one by search, and fits a 360 px phone", async () => {
    const id = await capturedPayment();
    await listed(id);
    const { page, errors } = await watchedPage({ width: 360, height: 740 });
    await signIn(page, dev.dashboard_readonly_email, dev.dashboard_readonly_password);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.click('nav a[href="/dashboard/payments"]');
    await page.selectOption("#status", "captured");
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get("status") === "captured"),
      page.click(".filters button"),
    ]);
    const statuses = await page
      .locator("#payments tbody tr")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-status")));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(["captured"]));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.selectOption("#status", "failed");
    await page.click(".filters button");
    await page.waitForURL((url) => url.searchParams.get("status") === "failed");
    expect(await page.locator(`#payments tr[data-payment="${id}"]`).count()).toBe(0);

    await page.fill("#q", id);
    // Keyboard only: Enter in the search box submits it.
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/dashboard/payments/${id}`),
      page.press("#q", "Enter"),
    ]);
    expect(await page.locator("#payment-id").textContent()).toBe(id);
    // Every section reads without an error and reflows to the phone's width (WCAG 1.4.10).
    for (const href of await page.locator("nav a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))) {
      await page.goto(`${dev.api}${href}`);
      expect(await page.locator("h1").count(), String(href)).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), String(href)).toBeLessThanOrEqual(360);
    }
    expect(errors).toEqual([]);
  });

  it("refunds once when the first answer is lost and the person presses again", async () => {
    const id = await capturedPayment();
    const { page } = await watchedPage();
    await signIn(page, dev.dashboard_email, dev.dashboard_password);
    await page.goto(`${dev.api}/dashboard/payments/${id}`);
    // The refund reaches the gateway and is made; its answer never reaches the page.
    const keys: string[] = [];
    await page.route(`**/v1/payments/${id}/refund`, async (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      await route.fetch();
      await route.abort("connectionreset");
    });
    await page.fill("#refund-amount", "3.00");
    await confirmAction(page, "#refund-form");
    expect(await page.locator("#refund-form .status").textContent()).toContain("No answer arrived");
    await page.unroute(`**/v1/payments/${id}/refund`);
    await page.route(`**/v1/payments/${id}/refund`, async (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      await route.continue();
    });
    await confirmAction(page, "#refund-form");
    expect(await page.locator("#refund-form .status").textContent()).toBe("Done.");
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const payment = await apiCall(dev, "GET", `/v1/payments/${id}`);
    expect(payment.json).toMatchObject({ amount_refunded: 300 });
    expect(payment.json.refunds).toHaveLength(1);
  });

  it("refuses a read-only user's refund on the server and says so on the page", async () => {
    const id = await capturedPayment();
    const { page, errors } = await watchedPage();
    await signIn(page, dev.dashboard_readonly_email, dev.dashboard_readonly_password);
    await page.goto(`${dev.api}/dashboard/payments/${id}`);
    await confirmAction(page, "#refund-form");
    expect(await page.locator("#refund-form .status").textContent()).toContain("role_not_allowed");
    expect(errors.filter((line) => !line.includes("403"))).toEqual([]);
    const payment = await apiCall(dev, "GET", `/v1/payments/${id}`);
    expect(payment.json).toMatchObject({ status: "captured", amount_refunded: 0 });
  });

  it("throttles wrong passwords: after five, even the right one is refused", async () => {
    const email = await newUser("admin");
    const { page } = await watchedPage();
    await page.goto(`${dev.api}/dashboard/login`);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await signInOnPage(page, email, "wrong password, twelve+");
      await expect.poll(() => page.locator("#login-status").textContent()).toContain("sign_in_failed");
      await page.locator("#login-status").evaluate((element) => {
        element.textContent = "";
      });
    }
    await signInOnPage(page, email, PASSWORD);
    await expect.poll(() => page.locator("#login-status").textContent()).toMatch(/rate_limit|too many/i);
    expect(new URL(page.url()).pathname).toBe("/dashboard/login");
  });

  it("signs in with a TOTP code when the user has a second factor", async () => {
    const email = await newUser("admin");
    const session = await apiSession(email);
    const enrolment = await session.send("/dashboard/api/session/totp", {});
    expect(enrolment.status).toBe(201);
    const totp = new TOTP({ secret: enrolment.json.secret as string, algorithm: "SHA1", digits: 6, period: 30 });
    const confirmed = await session.send("/dashboard/api/session/totp/confirm", { code: totp.generate() });
    expect(confirmed.status).toBe(200);
    const { page, errors } = await watchedPage();
    await page.goto(`${dev.api}/dashboard/login`);
    await signInOnPage(page, email, PASSWORD);
    await expect.poll(() => page.locator("#totp").isVisible()).toBe(true);
    // The next step's code: the current one was spent confirming (RFC 6238 §5.2, never twice).
    await page.fill("#totp", totp.generate({ timestamp: Date.now() + 30_000 }));
    await Promise.all([page.waitForURL((url) => url.pathname === "/dashboard"), page.press("#totp", "Enter")]);
    expect(await page.locator("#who").textContent()).toContain(email);
    // The first try without a code is a 401 the page turns into the code field.
    expect(errors.filter((line) => !line.includes("401"))).toEqual([]);
  });

  it("switches to live mode, where no test payment shows, and back", async () => {
    const id = await capturedPayment();
    await listed(id);
    const { page, errors } = await watchedPage();
    await signIn(page, dev.dashboard_email, dev.dashboard_password);
    await page.goto(`${dev.api}/dashboard/payments`);
    expect(await page.locator(`#payments tr[data-payment="${id}"]`).count()).toBe(1);
    expect(await page.locator("#test-banner").isVisible()).toBe(true);
    await Promise.all([page.waitForEvent("load"), page.click("#mode-switch")]);
    await expect.poll(() => page.locator("#mode-switch").textContent()).toBe("Switch to test mode");
    expect(await page.locator("#test-banner").count()).toBe(0);
    const testIds = new Set(
      (await apiCall(dev, "GET", "/v1/payments?limit=100")).json.data.map((p: { id: string }) => p.id),
    );
    const shown = await page
      .locator("#payments tbody tr")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-payment")));
    expect(shown.filter((shownId) => testIds.has(shownId))).toEqual([]);
    const direct = await page.goto(`${dev.api}/dashboard/payments/${id}`);
    expect(direct?.status()).toBe(404);
    await page.goto(`${dev.api}/dashboard/payments`);
    await Promise.all([page.waitForEvent("load"), page.click("#mode-switch")]);
    await expect.poll(() => page.locator("#test-banner").count()).toBe(1);
    expect(errors.filter((line) => !line.includes("404"))).toEqual([]);
  });

  it("resends a webhook delivery to its endpoint", async () => {
    const endpoint = await apiCall(dev, "POST", "/v1/webhook_endpoints", {
      json: { url: receiver.url, enabled_events: ["payment.captured"] },
      idempotencyKey: crypto.randomUUID(),
    });
    expect(endpoint.status).toBe(201);
    receiver.secret = endpoint.json.secret;
    const id = await capturedPayment();
    await expect
      .poll(() => receiver.requests.filter((r) => r.type === "payment.captured").length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const { page, errors } = await watchedPage();
    await signIn(page, dev.dashboard_email, dev.dashboard_password);
    await page.goto(`${dev.api}/dashboard/webhooks`);
    const section = `section[data-endpoint="${endpoint.json.id}"]`;
    const row = page.locator(`${section} tr[data-event]`).first();
    const eventId = (await row.getAttribute("data-event")) ?? "";
    expect(eventId).toMatch(/^evt_/);
    const before = receiver.requests.filter((r) => r.id === eventId).length;
    const form = `${section} form.action >> nth=0`;
    await page.locator(form).locator("button[type=submit]").click();
    await page.locator(form).locator("button[type=submit]").click();
    await expect.poll(() => page.locator(form).locator(".status").textContent(), { timeout: 30_000 }).toBe("Done.");
    await expect
      .poll(() => receiver.requests.filter((r) => r.id === eventId).length, { timeout: 30_000 })
      .toBe(before + 1);
    expect(receiver.requests.filter((r) => r.id === eventId).every((r) => r.verified)).toBe(true);
    expect(id).toMatch(/^pay_/);
    await page.reload();
    expect(await page.locator(`${section} tr[data-event="${eventId}"]`).first().getAttribute("data-attempts")).not.toBe(
      "1",
    );
    expect(errors).toEqual([]);
  });

  it("sends a dispute's evidence from the disputes page, once, and the dispute goes under review", async () => {
    const id = await capturedPayment(3_100);
    const paid = await apiCall(dev, "GET", `/v1/payments/${id}`);
    // The acquirer's RRN leads its processor reference; a chargeback on it comes back as a signed advice.
    const rrn = String(paid.json.attempts[0].processor_reference).split("-")[0];
    const opened = await fetch(`${dev.acquirer_admin}/chargebacks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ rrn, reason_code: "13.1" }),
    });
    expect(opened.status).toBe(201);
    let disputeId = "";
    await expect
      .poll(
        async () => {
          const disputes = (await apiCall(dev, "GET", "/v1/disputes?limit=100")).json.data as Record<string, any>[];
          disputeId = disputes.find((dispute) => dispute.payment === id)?.id ?? "";
          return disputeId;
        },
        { timeout: 30_000 },
      )
      .toMatch(/^dp_/);

    const { page, errors } = await watchedPage();
    await signIn(page, dev.dashboard_email, dev.dashboard_password);
    await page.goto(`${dev.api}/dashboard/disputes`);
    const text = "Signed delivery receipt for order 42, and the customer's thank-you e-mail.";
    await page.fill(`#evidence-text-${disputeId}`, text);
    await confirmAction(page, `#evidence-${disputeId}`);
    expect(await page.locator(`#evidence-${disputeId} .status`).getAttribute("class")).toContain("ok");
    const dispute = await apiCall(dev, "GET", `/v1/disputes/${disputeId}`);
    expect(dispute.json).toMatchObject({ status: "under_review", evidence: { text } });
    // Sent once: the page now shows what went, and offers no second form.
    await page.reload();
    const shown = page.locator(`section[data-dispute="${disputeId}"]`);
    expect(await shown.textContent()).toContain(`Evidence sent`);
    expect(await page.locator(`#evidence-${disputeId}`).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("creates a key, shows its secret once, rolls it and the old one stops", async () => {
    const { page, errors } = await watchedPage();
    await signIn(page, dev.dashboard_email, dev.dashboard_password);
    await page.goto(`${dev.api}/dashboard/api_keys`);
    const name = `dashboard ${Date.now()}`;
    await page.fill("#key-name", name);
    await confirmAction(page, "#create-key");
    const secret = (await page.locator("#secret-once code").textContent()) ?? "";
    expect(secret).toMatch(/^sk_test_/);
    expect((await apiCall(dev, "GET", "/v1/merchant")).status).toBe(200);
    const usable = await request(dev, "/v1/merchant", { key: secret });
    expect(usable.status).toBe(200);
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    const row = page.locator("#api-keys tr", { hasText: name });
    const keyId = (await row.getAttribute("data-key")) ?? "";
    await confirmAction(page, `#roll-${keyId}`);
    const successor = (await page.locator("#secret-once code").textContent()) ?? "";
    expect(successor).toMatch(/^sk_test_/);
    expect(successor).not.toBe(secret);
    await expect.poll(async () => (await request(dev, "/v1/merchant", { key: secret })).status).toBe(401);
    expect((await request(dev, "/v1/merchant", { key: successor })).status).toBe(200);
    expect(errors).toEqual([]);
  });

  it("refuses a change without the CSRF token, and never keeps a session cookie set before sign-in", async () => {
    const { context, page } = await watchedPage();
    // Session fixation: an attacker plants a session id of their choosing before the victim signs in.
    const name = "gw_session";
    const value = "attacker-chosen-id.c2lnbmF0dXJl";
    await context.addCookies([{ name, value, url: dev.api }]);
    await signIn(page, dev.dashboard_email, dev.dashboard_password);
    const cookies = await context.cookies(dev.api);
    const after = cookies.find((cookie) => cookie.name === name);
    expect(after?.value).toBeTruthy();
    expect(after?.value).not.toBe(value);
    expect(await page.locator("#who").textContent()).toContain(dev.dashboard_email);

    const id = await capturedPayment();
    const refused = await page.evaluate(async (path) => {
      const response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
        body: JSON.stringify({ amount: 100 }),
      });
      return { status: response.status, body: await response.json() };
    }, `/v1/payments/${id}/refund`);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "csrf_token_invalid" } } });
    const payment = await apiCall(dev, "GET", `/v1/payments/${id}`);
    expect(payment.json.amount_refunded).toBe(0);
  });
});
