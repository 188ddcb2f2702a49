import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_CLIENT_SECRET } from "../../simulators/wallet/config.js";
import { apiCall, type DevJson, startStack } from "../support/running-stack.js";
import { findSecrets } from "../support/secret-scan.js";
import { CVC_FIELD, stackWritings } from "../support/stack-scan.js";
import {
  approvalOf,
  backToMerchant,
  expectLanding,
  hop,
  payerTrip,
  paymentEvents,
  paymentWhen,
  paypalPayment,
  postApprovalForm,
  projected,
  readPayment,
  SHOP_CANCEL,
  SHOP_RETURN,
  sleep,
  walletEvents,
  walletLedger,
  walletOrder,
  webhooksSettled,
} from "../support/wallet-kit.js";
import { eventually, WebhookReceiver } from "../support/webhook-receiver.js";

/**
 * The PayPal-style wallet end to end (issue 15): the stack `npm start` boots, the edge speaking
 * Orders v2 / Payments v2 to the wallet simulator and taking its signed webhooks, the payer
 * approving on the simulator's hosted page and coming back through the gateway's return page to
 * the merchant's. The gateway's first status check is shortened to 1 s (at most 2 s between
 * checks), and pending@wallet.test's capture completes after 1.5 s.
 */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `\n!!! SKIPPING the PayPal checkout in Chromium: ${CHROMIUM} is missing.\n!!! Install it with: apt-get install -y chromium\n`,
  );
}

let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  stack = await startStack({
    WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1,1,1,1",
    WEBHOOK_LOCAL_RECEIVERS: "on",
    WALLET_FIRST_STATUS_CHECK_SECONDS: "1",
    WALLET_STATUS_CHECK_MAX_SECONDS: "2",
    WALLET_PENDING_CAPTURE_MS: "1500",
  });
  dev = stack.dev;
  await receiver.start();
  const endpoint = await apiCall(dev, "POST", "/v1/webhook_endpoints", {
    json: { url: receiver.url, enabled_events: ["*"] },
  });
  expect(endpoint.status).toBe(201);
  receiver.secret = endpoint.json.secret;
}, 180_000);

afterAll(async () => {
  await receiver.stop();
  await stack?.stop();
});

/** The merchant webhooks delivered for one payment, by type. */
const deliveredFor = (id: string) =>
  receiver.deduplicated
    .filter((request) => (JSON.parse(request.body) as { data: { object: { id: string } } }).data.object.id === id)
    .map((request) => request.type);

const hookArrives = (id: string, type: string) =>
  eventually(
    () => deliveredFor(id),
    (types) => types.includes(type),
  );

/** A payment the payer has approved as approve@ and come back from: captured, or authorized (manual). */
async function approvedPayment(change: Record<string, unknown> = {}) {
  const created = await paypalPayment(dev, change);
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  const trip = await payerTrip(dev, created.json);
  expectLanding(trip.merchantUrl, SHOP_RETURN, created.json.id, "succeeded");
  return { created: created.json, orderId: created.json.payment_method.paypal.order_id as string };
}

describe.skipIf(!hasChromium)("Pay with PayPal on the demo shop (Chromium)", () => {
  it("goes from the shop to the wallet and back, captured, with the webhook, the row and the wallet's books agreeing", async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    const seen: string[] = [];
    let paymentId = "";
    let approvalText = "";
    try {
      const page = await browser.newPage();
      page.on("request", (request) => seen.push(`${request.url()} ${request.postData() ?? ""}`));
      page.on("response", (response) => {
        void response.text().then(
          (body) => seen.push(body),
          () => {},
        );
      });
      await page.goto(dev.merchant_site);
      expect(await page.locator("#pay-paypal").isEnabled()).toBe(true);
      await Promise.all([page.waitForURL((url) => url.pathname === "/checkoutnow"), page.click("#pay-paypal")]);
      expect(new URL(page.url()).origin).toBe(new URL(dev.wallet_url).origin);
      approvalText = (await page.locator("#amount").textContent()) ?? "";
      await page.fill("#payer-email", "approve@wallet.test");
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(`${dev.merchant_site}/return?`)),
        page.click("#approve"),
      ]);
      const landed = new URL(page.url());
      paymentId = (await page.locator("#payment-id").textContent()) ?? "";
      expect(landed.searchParams.get("payment_id")).toBe(paymentId);
      expect(await page.locator("#redirect-status").textContent()).toBe("succeeded");
      expect(await page.locator("#payment-status").textContent()).toBe("captured");
    } finally {
      await browser.close();
    }
    expect(approvalText).toBe("19.99 USD");
    expect(paymentId).toMatch(/^pay_[0-9a-f]{64}$/);
    // The shop's server kept its secret key: nothing the browser sent or received carries it.
    expect(seen.length).toBeGreaterThan(3);
    for (const text of seen) expect(text).not.toContain(dev.secret_key);

    const payment = await readPayment(dev, paymentId);
    expect(payment).toMatchObject({
      status: "captured",
      amount: 1_999,
      amount_captured: 1_999,
      processor: "paypal",
      payment_method: { type: "paypal", paypal: { payer_email: "approve@wallet.test" } },
    });
    const { order_id: orderId, capture_id: captureId } = payment.payment_method.paypal;
    await hookArrives(paymentId, "payment.captured");
    expect(await projected(dev, paymentId, "captured")).toMatchObject({
      amount_captured: 1_999,
      payment_method_type: "paypal",
    });
    const order = await walletOrder(dev, orderId);
    expect(order).toMatchObject({ status: "COMPLETED", intent: "CAPTURE", amount_minor: 1_999 });
    expect(order.return_url.startsWith(`${dev.api}/wallet/return/${paymentId}`), order.return_url).toBe(true);
    expect(order.captures).toEqual([
      expect.objectContaining({ id: captureId, status: "COMPLETED", amount_minor: 1_999 }),
    ]);
    expect(await walletLedger(dev, orderId)).toMatchObject({ captured_minor: 1_999, refunded_minor: 0 });
  });
});

describe("the payer's trip without a browser", () => {
  it("creates a PayPal payment that waits for the payer at the wallet's approval page", async () => {
    const created = await paypalPayment(dev);
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      status: "requires_action",
      processor: "paypal",
      amount: 1_999,
      currency: "usd",
      amount_captured: 0,
      next_action: { type: "redirect_to_url", redirect_to_url: { return_url: SHOP_RETURN } },
      payment_method: {
        type: "paypal",
        paypal: { payer_id: null, payer_email: null, capture_id: null, authorization_id: null },
      },
    });
    const { orderId } = approvalOf(dev, created.json);
    const order = await walletOrder(dev, orderId);
    expect(order).toMatchObject({
      status: expect.stringMatching(/^(CREATED|PAYER_ACTION_REQUIRED)$/),
      amount_minor: 1_999,
    });
    expect(order.captures).toEqual([]);
    expect((await projected(dev, created.json.id, "requires_action")).amount_captured).toBe(0);
    await hookArrives(created.json.id, "payment.requires_action");
  });

  it("captures automatically once the payer approves and comes back", async () => {
    const { created, orderId } = await approvedPayment();
    const payment = await readPayment(dev, created.id);
    expect(payment).toMatchObject({
      status: "captured",
      amount_captured: 1_999,
      amount_capturable: 0,
      next_action: null,
      payment_method: {
        type: "paypal",
        paypal: {
          order_id: orderId,
          payer_email: "approve@wallet.test",
          payer_id: expect.stringMatching(/^[A-Z0-9]{13}$/),
          capture_id: expect.stringMatching(/^[A-Z0-9]{17}$/),
        },
      },
    });
    const order = await walletOrder(dev, orderId);
    expect(order.payer).toEqual({ payer_id: payment.payment_method.paypal.payer_id, email: "approve@wallet.test" });
    expect(order.captures).toEqual([
      expect.objectContaining({
        id: payment.payment_method.paypal.capture_id,
        status: "COMPLETED",
        amount_minor: 1_999,
      }),
    ]);
    expect(await projected(dev, created.id, "captured")).toMatchObject({ amount_captured: 1_999 });
    await hookArrives(created.id, "payment.captured");
    expect(await paymentEvents(dev, created.id, "payment.captured")).toHaveLength(1);
  });

  it("authorizes for manual capture, then captures part of it on request", async () => {
    const { created, orderId } = await approvedPayment({ capture_method: "manual" });
    const authorized = await readPayment(dev, created.id);
    expect(authorized).toMatchObject({
      status: "authorized",
      amount_capturable: 1_999,
      amount_captured: 0,
      payment_method: { paypal: { authorization_id: expect.stringMatching(/^[A-Z0-9]{17}$/), capture_id: null } },
    });
    const authorizationId = authorized.payment_method.paypal.authorization_id as string;
    let order = await walletOrder(dev, orderId);
    expect(order).toMatchObject({ intent: "AUTHORIZE", captures: [] });
    expect(order.authorizations).toEqual([
      expect.objectContaining({ id: authorizationId, status: "CREATED", amount_minor: 1_999 }),
    ]);
    await projected(dev, created.id, "authorized");
    await hookArrives(created.id, "payment.authorized");

    const capture = await apiCall(dev, "POST", `/v1/payments/${created.id}/capture`, {
      json: { amount_to_capture: 1_500 },
      idempotencyKey: `cap-${created.id}`,
    });
    expect(capture.status, JSON.stringify(capture.json)).toBe(200);
    expect(capture.json).toMatchObject({ status: "captured", amount_captured: 1_500, amount_capturable: 0 });
    order = await walletOrder(dev, orderId);
    expect(order.captures).toEqual([
      expect.objectContaining({ status: "COMPLETED", amount_minor: 1_500, authorization_id: authorizationId }),
    ]);
    expect(await walletLedger(dev, orderId)).toMatchObject({ captured_minor: 1_500 });
    expect(await projected(dev, created.id, "captured")).toMatchObject({ amount_captured: 1_500 });
  });

  it("voids a manual payment the merchant cancels", async () => {
    const { created, orderId } = await approvedPayment({ capture_method: "manual" });
    expect((await readPayment(dev, created.id)).status).toBe("authorized");
    const cancel = await apiCall(dev, "POST", `/v1/payments/${created.id}/cancel`, {
      json: {},
      idempotencyKey: `void-${created.id}`,
    });
    expect(cancel.status, JSON.stringify(cancel.json)).toBe(200);
    expect(cancel.json).toMatchObject({ status: "voided", amount_captured: 0 });
    const order = await walletOrder(dev, orderId);
    expect(order.captures).toEqual([]);
    expect(order.authorizations).toEqual([expect.objectContaining({ status: "VOIDED" })]);
    expect(await walletLedger(dev, orderId)).toMatchObject({ captured_minor: 0, authorized_open_minor: 0 });
    await projected(dev, created.id, "voided");
    await hookArrives(created.id, "payment.voided");
  });

  it("fails a payment whose instrument the wallet declines (decline@), taking no money", async () => {
    const created = await paypalPayment(dev);
    const trip = await payerTrip(dev, created.json, { payer: "decline" });
    expectLanding(trip.merchantUrl, SHOP_RETURN, created.json.id, "failed");
    const payment = await readPayment(dev, created.json.id);
    expect(payment).toMatchObject({ status: "failed", decline_code: "wallet_instrument_declined", amount_captured: 0 });
    const order = await walletOrder(dev, payment.payment_method.paypal.order_id);
    expect(order.captures).toEqual([]);
    expect(await walletLedger(dev, order.id)).toMatchObject({ captured_minor: 0 });
    expect(await projected(dev, created.json.id, "failed")).toMatchObject({
      decline_code: "wallet_instrument_declined",
      amount_captured: 0,
    });
    await hookArrives(created.json.id, "payment.failed");
  });

  it("fails a payment whose capture the wallet denies inside a completed order (deny@)", async () => {
    const created = await paypalPayment(dev);
    const trip = await payerTrip(dev, created.json, { payer: "deny" });
    expectLanding(trip.merchantUrl, SHOP_RETURN, created.json.id, "failed");
    const payment = await readPayment(dev, created.json.id);
    expect(payment).toMatchObject({ status: "failed", decline_code: "wallet_capture_declined", amount_captured: 0 });
    const order = await walletOrder(dev, payment.payment_method.paypal.order_id);
    expect(order.status).toBe("COMPLETED");
    expect(order.captures).toEqual([expect.objectContaining({ status: "DECLINED" })]);
    expect(await walletLedger(dev, order.id)).toMatchObject({ captured_minor: 0 });
    await projected(dev, created.json.id, "failed");
  });

  it("holds a pending capture (pending@) as processing, then captures it when the wallet completes it", async () => {
    const created = await paypalPayment(dev);
    const trip = await payerTrip(dev, created.json, { payer: "pending" });
    expectLanding(trip.merchantUrl, SHOP_RETURN, created.json.id, "processing");
    const pending = await readPayment(dev, created.json.id);
    expect(pending).toMatchObject({ status: "processing", capture_status: "pending", amount_captured: 0 });
    const orderId = pending.payment_method.paypal.order_id as string;
    expect((await walletOrder(dev, orderId)).captures).toEqual([expect.objectContaining({ status: "PENDING" })]);

    const captured = await paymentWhen(dev, created.json.id, (payment) => payment.status === "captured", 15_000);
    expect(captured.amount_captured).toBe(1_999);
    const order = await walletOrder(dev, orderId);
    expect(order.captures).toEqual([expect.objectContaining({ status: "COMPLETED", amount_minor: 1_999 })]);
    expect(await walletLedger(dev, orderId)).toMatchObject({ captured_minor: 1_999, pending_minor: 0 });
    expect(await projected(dev, created.json.id, "captured")).toMatchObject({ amount_captured: 1_999 });
    await hookArrives(created.json.id, "payment.captured");
  });

  it("sends a payer who cancels on the approval page back as canceled, the payment still waiting", async () => {
    const created = await paypalPayment(dev);
    const trip = await payerTrip(dev, created.json, { action: "cancel" });
    expectLanding(trip.merchantUrl, SHOP_CANCEL, created.json.id, "canceled");
    await sleep(2_500); // a status check or two
    const payment = await readPayment(dev, created.json.id);
    expect(payment).toMatchObject({ status: "requires_action", amount_captured: 0 });
    const order = await walletOrder(dev, payment.payment_method.paypal.order_id);
    expect(order.status).toMatch(/^(CREATED|PAYER_ACTION_REQUIRED)$/);
    expect(order.captures).toEqual([]);
  });
});

describe("the wallet's webhooks", () => {
  it("captures from CHECKOUT.ORDER.APPROVED before the payer is back; the return then only redirects", async () => {
    const created = await paypalPayment(dev);
    // The payer approves, but their browser never follows the wallet's redirect.
    const trip = await payerTrip(dev, created.json, { follow: false });
    const orderId = created.json.payment_method.paypal.order_id as string;
    const approved = await eventually(
      () => walletEvents(dev, orderId),
      (events) =>
        events.some((event) => event.event_type === "CHECKOUT.ORDER.APPROVED" && event.delivery.status === "delivered"),
    );
    const delivery = approved.find((event) => event.event_type === "CHECKOUT.ORDER.APPROVED");
    expect(delivery?.delivery.attempts.at(-1)?.status).toBe(200);
    const captured = await paymentWhen(dev, created.json.id, (payment) => payment.status === "captured");
    expect(captured.amount_captured).toBe(1_999);

    // Now the payer's browser arrives.
    const landing = await backToMerchant(trip.gatewayUrl);
    expectLanding(landing, SHOP_RETURN, created.json.id, "succeeded");
    const order = await walletOrder(dev, orderId);
    expect(order.captures).toHaveLength(1);
    expect(order.captures[0]).toMatchObject({ status: "COMPLETED", amount_minor: 1_999 });
    expect(await walletLedger(dev, orderId)).toMatchObject({ captured_minor: 1_999 });
    const after = await readPayment(dev, created.json.id);
    expect(after.status).toBe("captured");
    expect(await paymentEvents(dev, created.json.id, "payment.captured")).toHaveLength(1);
  });

  it("changes nothing when CHECKOUT.ORDER.APPROVED comes again after the capture", async () => {
    const { created, orderId } = await approvedPayment();
    const events = await webhooksSettled(dev, orderId);
    const approvedEvent = events.find((event) => event.event_type === "CHECKOUT.ORDER.APPROVED");
    expect(approvedEvent).toBeDefined();
    await sleep(1_000);
    const before = await readPayment(dev, created.id);
    expect(before.status).toBe("captured");

    const replay = await fetch(`${dev.wallet_admin}/webhooks/${approvedEvent?.id}/replay`, { method: "POST" });
    expect(replay.status).toBe(200);
    const replayed = (await replay.json()) as { status: number | null };
    expect(replayed.status).toBeGreaterThanOrEqual(200);
    expect(replayed.status).toBeLessThan(300);
    await sleep(1_500);
    const after = await readPayment(dev, created.id);
    expect(after).toMatchObject({ status: "captured", version: before.version, amount_captured: 1_999 });
    expect((await walletOrder(dev, orderId)).captures).toHaveLength(1);
    expect(await paymentEvents(dev, created.id, "payment.captured")).toHaveLength(1);
  });

  it("refuses a forged webhook with 401 and changes nothing", async () => {
    const created = await paypalPayment(dev);
    const { orderId } = approvalOf(dev, created.json);
    const body = JSON.stringify({
      id: "WH-0FORGED0000000000-0FORGED0000000000",
      event_version: "1.0",
      create_time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      resource_type: "checkout-order",
      resource_version: "2.0",
      event_type: "CHECKOUT.ORDER.APPROVED",
      summary: "An order has been approved by buyer",
      resource: {
        id: orderId,
        intent: "CAPTURE",
        status: "APPROVED",
        payer: { payer_id: "FORGEDPAYER01", email_address: "approve@wallet.test" },
        purchase_units: [{ reference_id: "default", amount: { currency_code: "USD", value: "19.99" } }],
      },
    });
    const url = `${dev.api}/network/wallet/test/webhooks`;
    const forgeries: [string, Record<string, string>][] = [
      ["unsigned", {}],
      [
        "a bad signature",
        {
          "PAYPAL-TRANSMISSION-ID": crypto.randomUUID(),
          "PAYPAL-TRANSMISSION-TIME": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
          "PAYPAL-TRANSMISSION-SIG": Buffer.from("not a signature at all").toString("base64"),
          "PAYPAL-CERT-URL": `${dev.wallet_url}/v1/notifications/certs/CERT-forged`,
          "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        },
      ],
      [
        "a certificate from elsewhere",
        {
          "PAYPAL-TRANSMISSION-ID": crypto.randomUUID(),
          "PAYPAL-TRANSMISSION-TIME": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
          "PAYPAL-TRANSMISSION-SIG": Buffer.from("x".repeat(256)).toString("base64"),
          "PAYPAL-CERT-URL": "https://attacker.example/cert.pem",
          "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        },
      ],
    ];
    for (const [what, headers] of forgeries) {
      const answer = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body,
      });
      expect(answer.status, what).toBe(401);
      expect(answer.headers.get("content-type") ?? "", what).toContain("application/json");
      expect(((await answer.json()) as { error?: unknown }).error, what).toBeDefined();
    }
    await sleep(1_500);
    const still = await readPayment(dev, created.json.id);
    expect(still).toMatchObject({ status: "requires_action", version: created.json.version, amount_captured: 0 });
    expect((await walletOrder(dev, orderId)).captures).toEqual([]);
  });
});

describe("an order nobody approves", () => {
  it("expires the payment once the wallet has expired the order, with payment.expired", async () => {
    const created = await paypalPayment(dev);
    const { url, orderId } = approvalOf(dev, created.json);
    // abandon@wallet.test leaves the page: the wallet sends nobody back.
    const left = await postApprovalForm(url, "approve", { token: orderId, email: "abandon@wallet.test" });
    expect(left.status).toBe(200);
    expect(left.body).toContain('data-outcome="abandoned"');
    await sleep(1_500);
    expect((await readPayment(dev, created.json.id)).status).toBe("requires_action");

    const expire = await fetch(`${dev.wallet_admin}/orders/${orderId}/expire`, { method: "POST" });
    expect(expire.status).toBe(200);
    const expired = await paymentWhen(dev, created.json.id, (payment) => payment.status === "expired", 10_000);
    expect(expired).toMatchObject({ amount_captured: 0, next_action: null });
    await projected(dev, created.json.id, "expired");
    await hookArrives(created.json.id, "payment.expired");
    // The approval page is gone too.
    expect((await hop(url)).status).toBe(404);
  });
});

describe("captures and refunds at the wallet", () => {
  it("captures once under a retried Idempotency-Key, concurrent or sequential, replaying the answer", async () => {
    const { created, orderId } = await approvedPayment({ capture_method: "manual" });
    const key = `capture-${created.id}`;
    const capture = () => apiCall(dev, "POST", `/v1/payments/${created.id}/capture`, { json: {}, idempotencyKey: key });
    const both = await Promise.all([capture(), capture()]);
    const statuses = both.map((answer) => answer.status).sort();
    // The duplicate either waited for the first and replayed it, or was told the key is in use.
    expect([
      [200, 200],
      [200, 409],
    ]).toContainEqual(statuses);
    const first = both.find((answer) => answer.status === 200 && !answer.replayed) ?? both[0];
    expect(first.json).toMatchObject({ status: "captured", amount_captured: 1_999 });

    const again = await capture();
    expect(again.status).toBe(200);
    expect(again.replayed).toBe(true);
    expect(again.json).toEqual(first.json);

    const order = await walletOrder(dev, orderId);
    expect(order.captures).toHaveLength(1);
    expect(await walletLedger(dev, orderId)).toMatchObject({ captured_minor: 1_999 });
    expect(await paymentEvents(dev, created.id, "payment.captured")).toHaveLength(1);
  });

  it("refunds in three parts to the whole capture, and refuses a refund over what is left", async () => {
    const { created, orderId } = await approvedPayment();
    const refund = (amount: number | undefined, key: string) =>
      apiCall(dev, "POST", `/v1/payments/${created.id}/refund`, {
        json: amount === undefined ? {} : { amount },
        idempotencyKey: `${key}-${created.id}`,
      });

    const first = await refund(500, "r1");
    expect([200, 202], JSON.stringify(first.json)).toContain(first.status);
    await paymentWhen(dev, created.id, (payment) => payment.amount_refunded === 500);
    const second = await refund(700, "r2");
    expect([200, 202], JSON.stringify(second.json)).toContain(second.status);
    const partly = await paymentWhen(dev, created.id, (payment) => payment.amount_refunded === 1_200);
    expect(partly.status).toBe("partially_refunded");

    const over = await refund(800, "r-over");
    expect(over.status).toBe(400);
    expect(over.json.error.param).toBe("amount");

    const rest = await refund(undefined, "r3");
    expect([200, 202], JSON.stringify(rest.json)).toContain(rest.status);
    const refunded = await paymentWhen(dev, created.id, (payment) => payment.status === "refunded");
    expect(refunded.amount_refunded).toBe(1_999);
    expect(refunded.refunds.map((entry: { amount: number; status: string }) => [entry.amount, entry.status])).toEqual([
      [500, "succeeded"],
      [700, "succeeded"],
      [799, "succeeded"],
    ]);

    const order = await walletOrder(dev, orderId);
    const atWallet = order.refunds as { amount_minor: number; status: string; capture_id: string }[];
    expect(atWallet.map((entry) => entry.amount_minor)).toEqual([500, 700, 799]);
    expect(atWallet.every((entry) => entry.status === "COMPLETED")).toBe(true);
    expect(atWallet.every((entry) => entry.capture_id === refunded.payment_method.paypal.capture_id)).toBe(true);
    expect(order.captures).toEqual([expect.objectContaining({ status: "REFUNDED", amount_minor: 1_999 })]);
    expect(await walletLedger(dev, orderId)).toMatchObject({ captured_minor: 1_999, refunded_minor: 1_999 });
    expect(await projected(dev, created.id, "refunded")).toMatchObject({ amount_refunded: 1_999 });
    await hookArrives(created.id, "payment.refunded");
  });
});

describe("PayPal requests the API refuses", () => {
  it("names return_url or cancel_url when missing or not an http(s) URL, creating nothing at the wallet", async () => {
    const ordersBefore = ((await (await fetch(`${dev.wallet_admin}/orders`)).json()) as { orders: unknown[] }).orders
      .length;
    const cases: [string, Record<string, unknown>, string][] = [
      ["missing", { return_url: undefined }, "return_url"],
      ["javascript:", { return_url: "javascript:alert(1)" }, "return_url"],
      ["ftp:", { return_url: "ftp://x" }, "return_url"],
      ["not a URL", { return_url: "/relative/return" }, "return_url"],
      ["a javascript: cancel_url", { cancel_url: "javascript:alert(1)" }, "cancel_url"],
    ];
    for (const [what, change, param] of cases) {
      const answer = await paypalPayment(dev, change);
      expect(answer.status, what).toBe(400);
      expect(answer.json.error.code, what).toMatch(/^parameter_(missing|invalid)$/);
      expect(answer.json.error.param, what).toBe(param);
    }
    const ordersAfter = ((await (await fetch(`${dev.wallet_admin}/orders`)).json()) as { orders: unknown[] }).orders
      .length;
    expect(ordersAfter).toBe(ordersBefore);
  });
});

describe("PCI: what the stack wrote", () => {
  it("leaves no card number, CVC, API secret or wallet client secret in any log or Postgres row", async () => {
    const { dump, logs } = await stackWritings(dev, stack.dataDir);
    expect(dump).toContain("paypal"); // the dump is real and has the wallet's payments
    expect(logs).toMatch(/"message":"request"/);
    expect(findSecrets(dump)).toEqual([]);
    expect(findSecrets(logs)).toEqual([]);
    for (const text of [logs, dump]) {
      expect(text).not.toMatch(CVC_FIELD);
      expect(text).not.toContain(dev.secret_key);
      expect(text).not.toContain(DEV_CLIENT_SECRET);
    }
    // The demo shop's page does not carry its secret key either.
    expect(await (await fetch(dev.merchant_site)).text()).not.toContain(dev.secret_key);
  });
});
