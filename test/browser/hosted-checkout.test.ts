import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, landsOn, launchChromium, warnWithoutChromium } from "../support/chromium.js";
import { apiCall, type DevJson, startStack } from "../support/running-stack.js";

/**
 * The hosted checkout (issue 18) in Debian's Chromium, through the whole `npm start` stack: the
 * demo shop's server creates a session, the customer pays on the gateway's page in the vault's
 * card frame, and lands back on the shop's success page with the session id. A declined card is
 * shown and can be replaced; an expired session is refused.
 */
warnWithoutChromium("the hosted checkout tests");

const EXPIRY = `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, "0")}`;

let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  stack = await startStack();
  dev = stack.dev;
  browser = await launchChromium();
}, 200_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page that fails the test on any console error or uncaught exception ("no console errors"). */
async function watchedPage(viewport = { width: 1024, height: 768 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  return { page, errors };
}

async function typeCard(page: Page, number: string) {
  const fields = page.frameLocator('iframe[name="gateway-card"]');
  await fields.locator("#number").fill(number);
  await fields.locator("#exp").fill(EXPIRY);
  await fields.locator("#cvc").fill("123");
}

describe.skipIf(!hasChromium)("hosted checkout in Chromium", () => {
  it("pays from the demo shop with 4242… and lands on its success page with the session id and the payment", async () => {
    const { page, errors } = await watchedPage();
    await page.goto(dev.merchant_site);
    await Promise.all([page.waitForURL((url) => url.pathname.startsWith("/checkout/cs_")), page.click("#pay-hosted")]);
    expect(new URL(page.url()).origin).toBe(new URL(dev.api).origin);
    const sessionId = new URL(page.url()).pathname.split("/")[2] ?? "";
    expect(await page.locator("#amount").textContent()).toBe("$19.99");
    await expect.poll(() => page.locator("h1").textContent()).toContain("Pay ");

    await typeCard(page, "4242 4242 4242 4242");
    await landsOn(
      page,
      (url) => url.href.startsWith(`${dev.merchant_site}/success?`),
      () => page.click("#pay"),
    );
    expect(new URL(page.url()).searchParams.get("session_id")).toBe(sessionId);
    expect(await page.locator("#paid").textContent()).toBe("Paid");
    const paymentId = (await page.locator("#payment-id").textContent()) ?? "";
    expect(paymentId).toMatch(/^pay_[0-9a-f]{64}$/);
    expect(await page.locator("#dashboard-link").getAttribute("href")).toBe(
      `${dev.api}/dashboard/payments/${paymentId}`,
    );
    expect(errors).toEqual([]);

    const session = await apiCall(dev, "GET", `/v1/checkout_sessions/${sessionId}`);
    expect(session.json).toMatchObject({ status: "complete", payment_status: "paid", payment: paymentId });
    const payment = await apiCall(dev, "GET", `/v1/payments/${paymentId}`);
    expect(payment.json).toMatchObject({ status: "captured", amount: 1999, currency: "usd" });
    expect(payment.json.metadata.checkout_session).toBe(sessionId);
  });

  it("shows a declined card's message, keeps the session open, and pays with the next card", async () => {
    const created = await apiCall(dev, "POST", "/v1/checkout_sessions", {
      json: {
        amount: 2500,
        currency: "eur",
        success_url: `${dev.merchant_site}/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${dev.merchant_site}/`,
      },
    });
    expect(created.status).toBe(200);
    // A phone-width viewport: the page fits without sideways scrolling (WCAG 1.4.10 reflow).
    const { page, errors } = await watchedPage({ width: 360, height: 740 });
    await page.goto(created.json.url);
    expect(await page.locator("#amount").textContent()).toBe("€25.00");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await typeCard(page, "4000 0000 0000 0002");
    await page.click("#pay");
    const status = page.locator("#status");
    await expect.poll(() => status.getAttribute("class"), { timeout: 30_000 }).toContain("error");
    expect((await status.textContent())?.length).toBeGreaterThan(5);
    expect(await page.locator("#pay").isEnabled()).toBe(true);
    const open = await apiCall(dev, "GET", `/v1/checkout_sessions/${created.json.id}`);
    expect(open.json).toMatchObject({ status: "open", payment_status: "unpaid" });

    // Keyboard only: the pay button is reached and pressed without a pointer.
    await typeCard(page, "4242 4242 4242 4242");
    await page.locator("#pay").focus();
    await landsOn(
      page,
      (url) => url.href.startsWith(`${dev.merchant_site}/success?`),
      () => page.keyboard.press("Enter"),
    );
    expect(await page.locator("#paid").textContent()).toBe("Paid");
    expect(errors).toEqual([]);
  });

  it("pays with the demo shop's own card form too: its server charges the token and the page says Paid", async () => {
    const { page, errors } = await watchedPage();
    await page.goto(dev.merchant_site);
    await typeCard(page, "4242 4242 4242 4242");
    await page.click("#pay");
    const result = page.locator("#result");
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toMatch(/^Paid pay_[0-9a-f]{64}$/);
    const paymentId = ((await result.textContent()) ?? "").slice("Paid ".length);
    expect((await apiCall(dev, "GET", `/v1/payments/${paymentId}`)).json.status).toBe("captured");
    expect(errors).toEqual([]);
  });

  it("refuses an expired session: the page says so (410) and its pay endpoint answers 410", async () => {
    const created = await apiCall(dev, "POST", "/v1/checkout_sessions", {
      json: {
        amount: 999,
        currency: "usd",
        success_url: `${dev.merchant_site}/success`,
        cancel_url: `${dev.merchant_site}/`,
      },
    });
    const { page } = await watchedPage();
    await page.goto(created.json.url);
    const secret = await page.evaluate(
      () =>
        (JSON.parse(document.getElementById("checkout-config")?.textContent ?? "{}") as { pageSecret: string })
          .pageSecret,
    );
    const expired = await apiCall(dev, "POST", `/v1/checkout_sessions/${created.json.id}/expire`, { json: {} });
    expect(expired.json.status).toBe("expired");

    const response = await page.goto(created.json.url);
    expect(response?.status()).toBe(410);
    expect(await page.locator("#state").textContent()).toBe("This checkout has expired");
    const pay = await page.evaluate(
      async ({ id, secret }) => {
        const answer = await fetch(`/checkout/${id}/pay`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ token: "tok_Expired000000000000000", page_secret: secret }),
        });
        return { status: answer.status, body: (await answer.json()) as { error: { code: string } } };
      },
      { id: created.json.id as string, secret },
    );
    expect(pay.status).toBe(410);
    expect(pay.body.error.code).toBe("checkout_session_expired");
  });
});
