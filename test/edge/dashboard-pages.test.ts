import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, call, newMerchant } from "./support/api.js";
import { type Browser, dashboardCall, newBrowser, newDashboardUser, signedIn } from "./support/dashboard.js";
import { deliver, transition } from "./support/projection.js";

const hex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

const XSS_DESCRIPTION = `<script>alert("d")</script>`;
const XSS_METADATA = `"><img src=x onerror=alert(1)>`;

/** A merchant with a test payment (its description and metadata an XSS attempt) and a live one, as projected. */
async function merchantWithPayments() {
  const merchant = await newMerchant();
  const testPayment = `pay_${hex()}`;
  const livePayment = `pay_${hex()}`;
  const hostile = transition(merchant.id, testPayment, 3, "captured", "authorized");
  hostile.payment.description = XSS_DESCRIPTION;
  hostile.payment.metadata = { note: XSS_METADATA };
  await deliver([hostile, transition(merchant.id, livePayment, 3, "captured", "authorized", true)]);
  return { merchant, testPayment, livePayment };
}

/** A page as the browser loads it: its cookie, no redirect followed. */
async function page(browser: Browser, path: string) {
  const headers = new Headers({ "CF-Connecting-IP": browser.ip });
  if (browser.cookie) headers.set("Cookie", browser.cookie);
  const response = await SELF.fetch(`${BASE}${path}`, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

describe("the dashboard pages", () => {
  it("send a browser without a session to sign in, and back to the page after", async () => {
    const browser = newBrowser();
    for (const path of ["/dashboard", "/dashboard/payments?status=captured", `/dashboard/payments/pay_${hex()}`]) {
      const answer = await page(browser, path);
      expect(answer.status).toBe(302);
      expect(answer.headers.get("Location")).toBe(`/dashboard/login?next=${encodeURIComponent(path)}`);
    }
    const login = await page(browser, "/dashboard/login?next=%2Fdashboard%2Fpayments");
    expect(login.status).toBe(200);
    expect(login.html).toContain('<label for="email">Email</label>');
    expect(login.html).toContain('"next":"/dashboard/payments"');
    // Never an open redirect: a foreign `next` becomes the home page.
    const foreign = await page(browser, "/dashboard/login?next=https%3A%2F%2Fevil.example%2F");
    expect(foreign.html).toContain('"next":"/dashboard"');
    const slashes = await page(browser, "/dashboard/login?next=%2F%2Fevil.example");
    expect(slashes.html).toContain('"next":"/dashboard"');
  });

  it("list the merchant's payments, escape what the merchant's customers wrote, under a strict CSP", async () => {
    const { merchant, testPayment, livePayment } = await merchantWithPayments();
    const user = await newDashboardUser(merchant.id, "read_only");
    const browser = newBrowser();
    await signedIn(browser, user.email);
    const listed = await page(browser, "/dashboard/payments");
    expect(listed.status).toBe(200);
    expect(listed.html.startsWith("<!doctype html>")).toBe(true);
    expect(listed.html).toContain(`data-payment="${testPayment}"`);
    expect(listed.html).not.toContain(livePayment);
    expect(listed.html).toContain("$10.00");
    expect(listed.html).toContain('id="test-banner"');
    expect(listed.html).toContain(user.email);
    // The description is text, never markup.
    expect(listed.html).not.toContain(XSS_DESCRIPTION);
    expect(listed.html).toContain("&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt;");
    const csp = listed.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    // Every script on the page carries the nonce (or is data), and no element has an inline handler.
    for (const tag of listed.html.match(/<script[^>]*>/g) ?? []) {
      expect(tag.includes(`nonce="${nonce}"`) || tag.includes('type="application/json"')).toBe(true);
    }
    expect(listed.html).not.toMatch(/\son[a-z]+=/i);
    expect(listed.headers.get("Cache-Control")).toBe("no-store");
    expect(listed.headers.get("X-Frame-Options")).toBe("DENY");

    const filtered = await page(browser, "/dashboard/payments?status=failed");
    expect(filtered.html).not.toContain(testPayment);
    const search = await page(browser, `/dashboard/payments?q=${testPayment}`);
    expect(search.status).toBe(302);
    expect(search.headers.get("Location")).toBe(`/dashboard/payments/${testPayment}`);
  });

  it("switch every view to live mode, where the test payments are not", async () => {
    const { merchant, testPayment, livePayment } = await merchantWithPayments();
    const user = await newDashboardUser(merchant.id, "admin");
    const browser = newBrowser();
    const csrf = await signedIn(browser, user.email);
    const switched = await dashboardCall(browser, "PUT", "/dashboard/api/session/mode", {
      csrf,
      body: { mode: "live" },
    });
    expect(switched.status).toBe(200);
    const listed = await page(browser, "/dashboard/payments");
    expect(listed.html).toContain(`data-payment="${livePayment}"`);
    expect(listed.html).not.toContain(testPayment);
    expect(listed.html).not.toContain('id="test-banner"');
    expect(listed.html).toContain("Switch to test mode");
  });

  it("show a payment from its object, with its timeline, escaped, and a 404 page for another merchant's", async () => {
    const merchant = await newMerchant();
    const created = await call("POST", "/v1/payments", {
      key: merchant.secretKey,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: {
        amount: 2500,
        currency: "eur",
        payment_method: { type: "card", token: "tok_dashboard" },
        description: XSS_DESCRIPTION,
        metadata: { note: XSS_METADATA },
      },
    });
    const id = (created.json.id ?? created.json.error?.payment?.id) as string;
    expect(id).toMatch(/^pay_/);
    const user = await newDashboardUser(merchant.id, "developer");
    const browser = newBrowser();
    await signedIn(browser, user.email);
    const shown = await page(browser, `/dashboard/payments/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("€25.00");
    expect(shown.html).toContain('id="timeline"');
    expect(shown.html).toContain("payment.created");
    expect(shown.html).not.toContain(XSS_DESCRIPTION);
    expect(shown.html).not.toContain("<img src=x");
    expect(shown.html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");

    const stranger = await newMerchant();
    const other = await newDashboardUser(stranger.id, "admin");
    const elsewhere = newBrowser();
    await signedIn(elsewhere, other.email);
    const refused = await page(elsewhere, `/dashboard/payments/${id}`);
    expect(refused.status).toBe(404);
    expect(refused.html).toContain("No such payment");
  });

  it("draw the home page's figures from the summary API, and every section for a signed-in user", async () => {
    const { merchant } = await merchantWithPayments();
    const declined = transition(merchant.id, `pay_${hex()}`, 2, "failed", "processing");
    declined.payment.decline_code = "insufficient_funds";
    declined.payment.created_at = new Date().toISOString();
    const approved = transition(merchant.id, `pay_${hex()}`, 3, "captured", "authorized");
    approved.payment.created_at = new Date().toISOString();
    await deliver([declined, approved]);
    const user = await newDashboardUser(merchant.id, "read_only");
    const browser = newBrowser();
    await signedIn(browser, user.email);
    const home = await page(browser, "/dashboard");
    expect(home.status).toBe(200);
    // Two captured (the hostile one and this one), one declined; $10.00 kept from each capture.
    expect(home.html).toContain('<p class="stat" id="auth-rate">66.7%</p>');
    expect(home.html).toContain('<p class="stat volume">$20.00</p>');
    expect(home.html).toMatch(/<svg class="bars" id="chart-declines"[^>]*role="img"/);
    expect(home.html).toContain(">insufficient_funds</text>");
    for (const [path, marker] of [
      ["/dashboard/events", 'id="events"'],
      ["/dashboard/webhooks", "No webhook endpoints in this mode"],
      ["/dashboard/api_keys", 'id="api-keys"'],
      ["/dashboard/refunds", "No refunds in this mode."],
      ["/dashboard/disputes", "No disputes in this mode."],
      ["/dashboard/balance", 'id="settlements"'],
      ["/dashboard/request_logs", 'id="request-logs"'],
      ["/dashboard/routing", 'id="routing-rules"'],
    ] as const) {
      const shown = await page(browser, path);
      expect(shown.status, path).toBe(200);
      expect(shown.html, path).toContain(marker);
      expect(shown.headers.get("Content-Security-Policy"), path).toContain("script-src 'nonce-");
    }
  });
});
