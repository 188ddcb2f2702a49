import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, landsOn, launchChromium, warnWithoutChromium } from "../support/chromium.js";
import { apiCall, type DevJson, startStack } from "../support/running-stack.js";

/**
 * PayPal and UPI on the hosted checkout (issue 18 item 3) in Debian's Chromium, through the whole
 * `npm start` stack. "Pay with PayPal" sends the payer to the wallet simulator's approval page; a
 * cancel there comes back to the same page, the session still open; an approval comes back through
 * the gateway's wallet return page, which captures the order, and the session completes once and
 * sends the payer on to the merchant's success page. UPI sends a collect request to the payer's
 * UPI ID through the switch simulator (whose test VPAs answer as their names say) while the page
 * waits: a decline is shown and another UPI ID may be tried; an approval lands on the success page.
 */
warnWithoutChromium("the hosted checkout PayPal and UPI tests");

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

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A page that records console errors and failed responses on the gateway's and the shop's origins. */
async function watchedPage() {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const errors: string[] = [];
  // The wallet simulator's page (PayPal's, in production) is not ours to judge: it asks for a
  // /favicon.ico it does not serve.
  const wallet = new URL(dev.wallet_url).origin;
  page.on("console", (message) => {
    const at = message.location().url;
    if (message.type() === "error" && !at.startsWith(wallet)) errors.push(`${message.text()} ${at}`);
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  return { context, page, errors };
}

/** The events of a type that name the session, once the outbox has delivered them to Postgres. */
async function sessionEvents(type: string, sessionId: string) {
  const named = async () =>
    ((await apiCall(dev, "GET", `/v1/events?type=${type}&limit=100`)).json.data as unknown[]).filter((event) =>
      JSON.stringify(event).includes(sessionId),
    );
  return eventually(named, (list) => list.length > 0);
}

describe.skipIf(!hasChromium)("hosted checkout with PayPal and UPI in Chromium", () => {
  it("cancels at the wallet back to the open page, then approves and lands on success_url, the session complete once", async () => {
    const created = await apiCall(dev, "POST", "/v1/checkout_sessions", {
      json: {
        amount: 2750,
        currency: "usd",
        success_url: `${dev.merchant_site}/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${dev.merchant_site}/`,
        payment_method_types: ["card", "paypal"],
        metadata: { order: "wallet-1" },
      },
    });
    expect(created.status).toBe(200);
    const sessionId = created.json.id as string;
    const { context, page, errors } = await watchedPage();

    await page.goto(created.json.url);
    expect(await page.locator("#pay-paypal").textContent()).toBe("Pay with PayPal");
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/checkoutnow", { timeout: 30_000 }),
      page.click("#pay-paypal"),
    ]);
    expect(new URL(page.url()).origin).toBe(new URL(dev.wallet_url).origin);
    const firstOrder = new URL(page.url()).searchParams.get("token");
    expect(await page.locator("#amount").textContent()).toBe("27.50 USD");

    // Cancelled at the wallet: back on the checkout page, nothing paid, card and PayPal still offered.
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(`${dev.api}/checkout/${sessionId}?`), { timeout: 30_000 }),
      page.click("#cancel"),
    ]);
    expect(await page.locator("#pay-paypal").isEnabled()).toBe(true);
    expect(await page.locator("#pay").isEnabled()).toBe(true);
    const open = await apiCall(dev, "GET", `/v1/checkout_sessions/${sessionId}`);
    expect(open.json).toMatchObject({ status: "open", payment_status: "unpaid" });
    const paymentId = open.json.payment as string;
    expect(paymentId).toMatch(/^pay_[0-9a-f]{64}$/);
    expect((await apiCall(dev, "GET", `/v1/payments/${paymentId}`)).json.status).toBe("requires_action");

    // The cancelled order can still be approved from its page at the wallet until it lapses, and
    // the gateway cannot withdraw it: a card now could take the money twice, so it is refused.
    const config = JSON.parse((await page.locator("#checkout-config").textContent()) ?? "{}") as {
      publishableKey: string;
      pageSecret: string;
    };
    const tokenized = await fetch(`${dev.vault}/v1/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${config.publishableKey}` },
      body: JSON.stringify({ card: { number: "4242424242424242", exp_month: 12, exp_year: 2034, cvc: "123" } }),
    });
    const token = ((await tokenized.json()) as { id: string }).id;
    const byCard = await page.evaluate(
      async ({ token, secret }) => {
        const answer = await fetch(`${location.pathname}/pay`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ token, page_secret: secret }),
        });
        return { status: answer.status, body: await answer.json() };
      },
      { token, secret: config.pageSecret },
    );
    expect(byCard).toMatchObject({ status: 200, body: { status: "open", error: { code: "paypal_approval_pending" } } });
    expect((await apiCall(dev, "GET", `/v1/checkout_sessions/${sessionId}`)).json).toMatchObject({
      status: "open",
      payment: paymentId,
    });

    // PayPal again: the same payment and order (one per session), approved this time.
    await Promise.all([
      page.waitForURL((url) => url.pathname === "/checkoutnow", { timeout: 30_000 }),
      page.click("#pay-paypal"),
    ]);
    expect(new URL(page.url()).searchParams.get("token")).toBe(firstOrder);
    await page.fill("#payer-email", "approve@wallet.test");
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(`${dev.merchant_site}/success?`), { timeout: 30_000 }),
      page.click("#approve"),
    ]);
    expect(new URL(page.url()).searchParams.get("session_id")).toBe(sessionId);
    expect(await page.locator("#paid").textContent()).toBe("Paid");
    expect(await page.locator("#payment-id").textContent()).toBe(paymentId);
    expect(errors).toEqual([]);

    const session = await apiCall(dev, "GET", `/v1/checkout_sessions/${sessionId}`);
    expect(session.json).toMatchObject({ status: "complete", payment_status: "paid", payment: paymentId });
    const payment = await apiCall(dev, "GET", `/v1/payments/${paymentId}`);
    expect(payment.json).toMatchObject({ status: "captured", amount: 2750, currency: "usd" });
    expect(payment.json.payment_method.type).toBe("paypal");
    expect(payment.json.metadata).toMatchObject({ order: "wallet-1", checkout_session: sessionId });

    // The return page again (a reload, a replay): the session is complete once, one event.
    const again = await fetch(`${dev.api}/checkout/${sessionId}/return`, { redirect: "manual" });
    expect(again.status).toBe(303);
    expect(again.headers.get("Location")).toBe(`${dev.merchant_site}/success?session_id=${sessionId}`);
    expect(await sessionEvents("checkout.session.completed", sessionId)).toHaveLength(1);
    await context.close();
  });

  it("pays by UPI: a declined request is shown, then another UPI ID is approved in the app and the page lands on success_url", async () => {
    const created = await apiCall(dev, "POST", "/v1/checkout_sessions", {
      json: {
        amount: 49_900,
        currency: "inr",
        success_url: `${dev.merchant_site}/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${dev.merchant_site}/`,
        payment_method_types: ["upi"],
      },
    });
    expect(created.status).toBe(200);
    const sessionId = created.json.id as string;
    const { context, page, errors } = await watchedPage();
    await page.goto(created.json.url);
    expect(await page.locator("#amount").textContent()).toBe("₹499.00");
    expect(await page.locator("#card").count()).toBe(0);

    // The payer declines in their app: the page says so and lets them try again.
    await page.locator("#vpa").fill("declined@upi");
    await page.click("#pay-upi");
    const status = page.locator("#status");
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain("UPI app");
    await expect.poll(() => status.getAttribute("class"), { timeout: 60_000 }).toContain("error");
    expect(await status.textContent()).toContain("declined");
    expect(await page.locator("#pay-upi").isEnabled()).toBe(true);
    const open = (await apiCall(dev, "GET", `/v1/checkout_sessions/${sessionId}`)).json;
    expect(open).toMatchObject({ status: "open", payment_status: "unpaid" });
    const declined = open.payment as string;
    expect((await apiCall(dev, "GET", `/v1/payments/${declined}`)).json).toMatchObject({
      status: "failed",
      decline_code: "upi_declined_by_payer",
    });

    // Keyboard only: another UPI ID, submitted with Enter; the app approves it.
    await page.locator("#vpa").fill("success@upi");
    await landsOn(
      page,
      (url) => url.href.startsWith(`${dev.merchant_site}/success?`),
      () => page.locator("#vpa").press("Enter"),
      60_000,
    );
    expect(new URL(page.url()).searchParams.get("session_id")).toBe(sessionId);
    expect(await page.locator("#paid").textContent()).toBe("Paid");
    const paymentId = (await page.locator("#payment-id").textContent()) ?? "";
    expect(paymentId).not.toBe(declined);
    expect(errors).toEqual([]);

    const session = (await apiCall(dev, "GET", `/v1/checkout_sessions/${sessionId}`)).json;
    expect(session).toMatchObject({ status: "complete", payment_status: "paid", payment: paymentId });
    const payment = (await apiCall(dev, "GET", `/v1/payments/${paymentId}`)).json;
    expect(payment).toMatchObject({ status: "captured", amount: 49_900, currency: "inr" });
    expect(payment.payment_method).toMatchObject({ type: "upi", upi: { flow: "collect", vpa: "success@upi" } });
    expect(payment.metadata.checkout_session).toBe(sessionId);
    expect(await sessionEvents("checkout.session.completed", sessionId)).toHaveLength(1);
    await context.close();
  });
});
