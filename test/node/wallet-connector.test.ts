import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_WEBHOOK_ID } from "../../simulators/wallet/config.js";
import { type ReceivedWebhook, until, WalletKit } from "../../simulators/wallet/test-kit.js";
import {
  authorizationAnswerOf,
  captureAnswerOf,
  orderAnswerOf,
  refundAnswerOf,
} from "../../workers/connectors/wallet/wallet-answer.js";
import type { WalletReply } from "../../workers/connectors/wallet/wallet-call.js";
import {
  authorizeOrder,
  captureAuthorization,
  captureOrder,
  createOrder,
  getAuthorization,
  getCapture,
  getOrder,
  getRefund,
  type NewWalletOrder,
  refundCapture,
  voidAuthorization,
} from "../../workers/connectors/wallet/wallet-client.js";
import { walletDeclineCode, walletIssue } from "../../workers/connectors/wallet/wallet-codes.js";
import { type WalletLink, walletConfigured, walletLink } from "../../workers/connectors/wallet/wallet-link.js";
import { minorUnits, paypalValue } from "../../workers/connectors/wallet/wallet-money.js";
import { forgetWalletToken } from "../../workers/connectors/wallet/wallet-token.js";
import { verifyWalletWebhook } from "../../workers/connectors/wallet/wallet-webhook-verifier.js";
import type { WalletCapture, WalletOrder } from "../../workers/connectors/wallet/wallet-wire.js";

/**
 * The wallet connector's client layer against the wallet simulator, in-process on free ports:
 * the same fetch the edge runs, over real HTTP. Every request the connector makes is seen (and a
 * token can be made to look revoked) through a wrapper around the global fetch.
 */
let kit: WalletKit;
let link: WalletLink;
const realFetch = globalThis.fetch;
const sent: { url: string; method: string; headers: Headers }[] = [];
/** The next this many API calls carry a token the wallet refuses, as a revoked one would be. */
let revokedCalls = 0;

const testEnv = (url: string) => ({
  WALLET_API_URL: url,
  WALLET_CLIENT_ID: DEV_CLIENT_ID,
  WALLET_CLIENT_SECRET: DEV_CLIENT_SECRET,
  WALLET_WEBHOOK_ID: DEV_WEBHOOK_ID,
});

beforeAll(async () => {
  kit = await WalletKit.start();
  link = walletLink(testEnv(kit.sim.url), false)!;
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init?.headers);
    sent.push({ url, method: init?.method ?? "GET", headers });
    if (revokedCalls > 0 && url.includes("/v2/")) {
      revokedCalls--;
      headers.set("Authorization", "Bearer A21AArevoked");
      return realFetch(input, { ...init, headers });
    }
    return realFetch(input, init);
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await kit?.stop();
});
beforeEach(() => {
  sent.length = 0;
  revokedCalls = 0;
});
afterEach(async () => {
  await kit.putAdmin("/faults", { mode: "none" });
});

let sequence = 0;
const operationId = (what: string) => `op_${what}_${Date.now()}_${++sequence}`;
const sentTo = (path: string) => sent.filter((request) => new URL(request.url).pathname.startsWith(path));

function newOrder(overrides: Partial<NewWalletOrder> = {}): NewWalletOrder {
  return {
    intent: "CAPTURE",
    amountMinor: 49_900,
    currency: "USD",
    paymentId: `pay_${++sequence}`,
    operationId: operationId("create"),
    returnUrl: "https://shop.example/return",
    cancelUrl: "https://shop.example/cancel",
    brandName: "Chai Co",
    ...overrides,
  };
}

/** The resource of an `ok` reply (the test fails on anything else). */
async function ok<T>(pending: Promise<WalletReply<T>>): Promise<T> {
  const reply = await pending;
  if (reply?.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(reply)}`);
  return reply.resource;
}

/** A new order the payer (`email`) has approved on the approval page. */
async function approvedOrder(email = "approve@wallet.test", overrides: Partial<NewWalletOrder> = {}) {
  const order = await ok(createOrder(link, newOrder(overrides)));
  expect((await kit.approve(order.id, email)).status).toBe(303);
  return order.id;
}

/** The capture an approved order made. */
async function capturedBy(email = "approve@wallet.test", overrides: Partial<NewWalletOrder> = {}) {
  const orderId = await approvedOrder(email, overrides);
  const order = await ok(captureOrder(link, orderId, operationId("capture")));
  return order.purchase_units![0]!.payments!.captures![0]!;
}

/** The authorization an approved AUTHORIZE order made. */
async function authorizationOf(amountMinor = 10_000) {
  const orderId = await approvedOrder("approve@wallet.test", { intent: "AUTHORIZE", amountMinor });
  const order = await ok(authorizeOrder(link, orderId, operationId("authorize")));
  return { orderId, authorization: order.purchase_units![0]!.payments!.authorizations![0]! };
}

describe("the wallet link", () => {
  it("reads each mode's settings, and has no wallet when one of them is missing", () => {
    const live = {
      LIVE_WALLET_API_URL: "https://api-m.paypal.com/",
      LIVE_WALLET_CLIENT_ID: "live-id",
      LIVE_WALLET_CLIENT_SECRET: "live-secret",
      LIVE_WALLET_WEBHOOK_ID: "WH0LIVE",
    };
    expect(walletLink({ ...testEnv("http://127.0.0.1:8597"), ...live }, true)).toEqual({
      livemode: true,
      url: "https://api-m.paypal.com",
      clientId: "live-id",
      clientSecret: "live-secret",
      webhookId: "WH0LIVE",
    });
    expect(walletLink(testEnv("http://127.0.0.1:8597"), false)?.url).toBe("http://127.0.0.1:8597");
    expect(walletLink(testEnv("http://127.0.0.1:8597"), true)).toBeNull();
    expect(walletLink({ ...testEnv("http://127.0.0.1:8597"), WALLET_WEBHOOK_ID: "" }, false)).toBeNull();
    expect(walletConfigured({}, false)).toBe(false);
  });

  it("sends the client secret only over https, or over http to this machine", () => {
    expect(walletLink(testEnv("http://localhost:8597"), false)).not.toBeNull();
    expect(walletLink(testEnv("http://[::1]:8597"), false)).not.toBeNull();
    expect(walletLink(testEnv("http://wallet.example"), false)).toBeNull();
    expect(walletLink(testEnv("https://user:pw@wallet.example"), false)).toBeNull();
    expect(walletLink(testEnv("not a url"), false)).toBeNull();
  });
});

describe("amounts", () => {
  it("writes minor units as PayPal's decimal strings by the currency's exponent", () => {
    expect(paypalValue(49_900, "USD")).toBe("499.00");
    expect(paypalValue(5, "USD")).toBe("0.05");
    expect(paypalValue(500, "JPY")).toBe("500");
    expect(paypalValue(100_000, "HUF")).toBe("1000"); // PayPal takes no decimals for HUF
    expect(paypalValue(150_050, "HUF")).toBeNull();
    expect(paypalValue(1_234, "KWD")).toBe("1.234");
    expect(paypalValue(100, "XXX")).toBeNull();
    expect(paypalValue(1.5, "USD")).toBeNull();
  });

  it("reads PayPal's decimal strings back as minor units, exactly", () => {
    expect(minorUnits("499.00", "USD")).toBe(49_900);
    expect(minorUnits("0.1", "USD")).toBe(10);
    expect(minorUnits("1000", "HUF")).toBe(100_000);
    expect(minorUnits("1.230", "USD")).toBe(123);
    expect(minorUnits("1.001", "USD")).toBeNull();
    expect(minorUnits("-1.00", "USD")).toBeNull();
    expect(minorUnits("99999999999999999", "USD")).toBeNull();
  });
});

describe("the access token", () => {
  it("gets one token and keeps it for the calls that follow", async () => {
    forgetWalletToken(link);
    const order = await ok(createOrder(link, newOrder()));
    await ok(getOrder(link, order.id));
    await ok(getOrder(link, order.id));
    expect(sentTo("/v1/oauth2/token")).toHaveLength(1);
    expect(sentTo("/v1/oauth2/token")[0]?.headers.get("Authorization")).toMatch(/^Basic /);
    expect(sentTo("/v2/").every((call) => call.headers.get("Authorization")?.startsWith("Bearer A21AA"))).toBe(true);
  });

  it("gets a new one, once, when the wallet refuses the one it has (401), and the call goes through", async () => {
    const order = await ok(createOrder(link, newOrder()));
    sent.length = 0;
    revokedCalls = 1;
    expect(await ok(getOrder(link, order.id))).toMatchObject({ id: order.id });
    expect(sentTo("/v1/oauth2/token")).toHaveLength(1);
    expect(sentTo("/v2/")).toHaveLength(2);
  });

  it("gives up after the new token is refused too: a definite AUTHENTICATION_FAILURE", async () => {
    const order = await ok(createOrder(link, newOrder()));
    sent.length = 0;
    revokedCalls = 2;
    const reply = await getOrder(link, order.id);
    expect(reply).toMatchObject({ kind: "refused", status: 401, issue: "AUTHENTICATION_FAILURE" });
    expect(walletIssue("AUTHENTICATION_FAILURE").kind).toBe("technical");
    expect(sentTo("/v1/oauth2/token")).toHaveLength(1);
  });

  it("makes no call when the credentials are refused (invalid_client)", async () => {
    const wrong = walletLink({ ...testEnv(kit.sim.url), WALLET_CLIENT_SECRET: "not-the-secret" }, false)!;
    expect(await createOrder(wrong, newOrder())).toMatchObject({
      kind: "refused",
      status: 401,
      issue: "invalid_client",
    });
    expect(sentTo("/v2/")).toHaveLength(0);
  });

  it("renews a token shortly before it expires", async () => {
    const shortLived = await WalletKit.start({ tokenTtlSeconds: 2, webhookUrl: null });
    try {
      const briefLink = walletLink(testEnv(shortLived.sim.url), false)!;
      const order = await ok(createOrder(briefLink, newOrder()));
      await ok(getOrder(briefLink, order.id));
      expect(sentTo("/v1/oauth2/token")).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await ok(getOrder(briefLink, order.id));
      expect(sentTo("/v1/oauth2/token")).toHaveLength(2);
    } finally {
      await shortLived.stop();
    }
  });
});

describe("orders", () => {
  it("creates an order for the payer to approve, carrying the payment id, the operation id and the return", async () => {
    const request = newOrder();
    const reply = await createOrder(link, request);
    expect(reply).toMatchObject({ kind: "ok", status: 201, resource: { status: "PAYER_ACTION_REQUIRED" } });
    const order = (reply as { resource: WalletOrder }).resource;
    expect(orderAnswerOf(order)).toEqual({
      status: "awaiting_payer",
      orderId: order.id,
      approvalUrl: `${kit.sim.url}/checkoutnow?token=${order.id}`,
    });
    expect(sentTo("/v2/checkout/orders")[0]?.headers.get("PayPal-Request-Id")).toBe(request.operationId);
    expect(await kit.admin(`/orders/${order.id}`)).toMatchObject({
      intent: "CAPTURE",
      currency: "USD",
      amount_minor: 49_900,
      custom_id: request.paymentId,
      invoice_id: request.operationId,
      with_payment_source: true,
      return_url: "https://shop.example/return",
      cancel_url: "https://shop.example/cancel",
    });
    const page = await (await fetch(`${kit.sim.url}/checkoutnow?token=${order.id}`)).text();
    expect(page).toContain("Chai Co");
    expect(page).toContain("Pay Now");
  });

  it("approve@: approved by the payer, then captured in full", async () => {
    const orderId = await approvedOrder();
    const approved = orderAnswerOf(await ok(getOrder(link, orderId)));
    expect(approved).toMatchObject({ status: "approved", orderId, payerId: expect.stringMatching(/^[0-9A-Z]{13}$/) });
    const reply = await captureOrder(link, orderId, operationId("capture"));
    expect(reply).toMatchObject({ kind: "ok", status: 201 });
    const completed = orderAnswerOf((reply as { resource: WalletOrder }).resource);
    expect(completed).toMatchObject({
      status: "completed",
      authorization: null,
      capture: { status: "succeeded", amountMinor: 49_900, currency: "USD" },
    });
    const captureId = completed.status === "completed" ? completed.capture?.captureId : undefined;
    expect(captureAnswerOf(await ok(getCapture(link, captureId ?? "")))).toMatchObject({ status: "succeeded" });
  });

  it("decline@: the capture is refused with INSTRUMENT_DECLINED, and the order waits for the payer again", async () => {
    const orderId = await approvedOrder("decline@wallet.test");
    const reply = await captureOrder(link, orderId, operationId("capture"));
    expect(reply).toMatchObject({ kind: "refused", status: 422, issue: "INSTRUMENT_DECLINED" });
    expect(walletIssue("INSTRUMENT_DECLINED")).toEqual({ kind: "declined", declineCode: "wallet_instrument_declined" });
    expect(orderAnswerOf(await ok(getOrder(link, orderId)))).toMatchObject({ status: "awaiting_payer" });
  });

  it("deny@: a completed order that holds a declined capture", async () => {
    const capture = await capturedBy("deny@wallet.test");
    expect(captureAnswerOf(capture)).toEqual({
      status: "failed",
      captureId: capture.id,
      declineCode: "wallet_capture_declined",
    });
  });

  it("pending@: the capture is pending, and later completed", async () => {
    const capture = await capturedBy("pending@wallet.test");
    expect(captureAnswerOf(capture)).toEqual({ status: "pending", captureId: capture.id, reason: "PENDING_REVIEW" });
    const later = await until(
      async () => captureAnswerOf(await ok(getCapture(link, capture.id))),
      (answer) => answer.status !== "pending",
    );
    expect(later).toMatchObject({ status: "succeeded", amountMinor: 49_900 });
  });

  it("abandon@: nothing comes back, capture is ORDER_NOT_APPROVED, and once expired the order is not found", async () => {
    const order = await ok(createOrder(link, newOrder()));
    expect((await kit.approve(order.id, "abandon@wallet.test")).status).toBe(200);
    expect(orderAnswerOf(await ok(getOrder(link, order.id)))).toMatchObject({ status: "awaiting_payer" });
    const early = await captureOrder(link, order.id, operationId("capture"));
    expect(early).toMatchObject({ kind: "refused", status: 422, issue: "ORDER_NOT_APPROVED" });
    expect(walletIssue("ORDER_NOT_APPROVED").kind).toBe("not_approved");
    await kit.admin(`/orders/${order.id}/expire`, { method: "POST" });
    const gone = await getOrder(link, order.id);
    expect(gone).toMatchObject({ kind: "refused", status: 404, issue: "INVALID_RESOURCE_ID" });
    expect(walletIssue("INVALID_RESOURCE_ID").kind).toBe("not_found");
  });

  it("sends the sandbox's mock header in test mode only, and reads what it forces", async () => {
    const orderId = await approvedOrder();
    const mocked = await captureOrder(link, orderId, operationId("capture"), { mock: "INSTRUMENT_DECLINED" });
    expect(mocked).toMatchObject({ kind: "refused", status: 422, issue: "INSTRUMENT_DECLINED" });
    expect((await kit.admin(`/orders/${orderId}`)).status).toBe("APPROVED");
    expect(await getOrder(link, orderId, { mock: "INVALID_RESOURCE_ID" })).toMatchObject({
      kind: "refused",
      status: 404,
    });
    expect(await getOrder(link, orderId, { mock: "INTERNAL_SERVER_ERROR" })).toBeNull();
    const live = walletLink(
      {
        LIVE_WALLET_API_URL: kit.sim.url,
        LIVE_WALLET_CLIENT_ID: DEV_CLIENT_ID,
        LIVE_WALLET_CLIENT_SECRET: DEV_CLIENT_SECRET,
        LIVE_WALLET_WEBHOOK_ID: DEV_WEBHOOK_ID,
      },
      true,
    )!;
    expect(await getOrder(live, orderId, { mock: "INSTRUMENT_DECLINED" })).toMatchObject({ kind: "ok" });
    expect(sent.at(-1)?.headers.has("PayPal-Mock-Response")).toBe(false);
  });

  it("refuses locally, without a call, an amount PayPal cannot take", async () => {
    const reply = await createOrder(link, newOrder({ currency: "HUF", amountMinor: 150_050 }));
    expect(reply).toEqual({ kind: "refused", status: 422, issue: "DECIMALS_NOT_SUPPORTED", debugId: null });
    expect(sentTo("/v2/")).toHaveLength(0);
  });

  it("captures in currencies without decimals, read back in the gateway's minor units", async () => {
    const yen = await capturedBy("approve@wallet.test", { currency: "JPY", amountMinor: 500 });
    expect(captureAnswerOf(yen)).toMatchObject({ status: "succeeded", amountMinor: 500, currency: "JPY" });
    const forint = await capturedBy("approve@wallet.test", { currency: "HUF", amountMinor: 100_000 });
    expect(forint.amount).toEqual({ currency_code: "HUF", value: "1000" });
    expect(captureAnswerOf(forint)).toMatchObject({ status: "succeeded", amountMinor: 100_000, currency: "HUF" });
  });
});

describe("authorizations", () => {
  it("authorizes, captures a part, and voids the rest; a voided authorization cannot be captured", async () => {
    const { authorization } = await authorizationOf(10_000);
    expect(authorizationAnswerOf(authorization)).toMatchObject({
      status: "authorized",
      amountMinor: 10_000,
      currency: "USD",
      expiresAt: expect.any(String),
    });
    const part = await captureAuthorization(link, authorization.id, {
      requestId: operationId("capture"),
      amount: { minor: 4_000, currency: "USD" },
      final: false,
    });
    expect(part).toMatchObject({ kind: "ok", status: 201 });
    expect(captureAnswerOf((part as { resource: WalletCapture }).resource)).toMatchObject({
      status: "succeeded",
      amountMinor: 4_000,
    });
    const held = await ok(getAuthorization(link, authorization.id));
    expect(authorizationAnswerOf(held)).toEqual({
      status: "captured",
      authorizationId: authorization.id,
      partially: true,
    });
    const voided = await ok(voidAuthorization(link, authorization.id, operationId("void")));
    expect(voided && authorizationAnswerOf(voided)).toEqual({ status: "voided", authorizationId: authorization.id });
    const late = await captureAuthorization(link, authorization.id, { requestId: operationId("capture") });
    expect(late).toMatchObject({ kind: "refused", status: 422, issue: "AUTHORIZATION_VOIDED" });
    expect(walletIssue("AUTHORIZATION_VOIDED").kind).toBe("refused");
  });

  it("captures all of an authorization by default, as the final capture", async () => {
    const { authorization } = await authorizationOf(10_000);
    const capture = await ok(captureAuthorization(link, authorization.id, { requestId: operationId("capture") }));
    expect(capture).toMatchObject({ final_capture: true, amount: { value: "100.00" } });
    expect(authorizationAnswerOf(await ok(getAuthorization(link, authorization.id)))).toMatchObject({
      status: "captured",
      partially: false,
    });
  });

  it("voids an untouched authorization, and the order reads voided; a second void is already done", async () => {
    const { orderId, authorization } = await authorizationOf();
    const requestId = operationId("void");
    expect(await voidAuthorization(link, authorization.id, requestId)).toMatchObject({ kind: "ok", status: 200 });
    expect(orderAnswerOf(await ok(getOrder(link, orderId)))).toEqual({ status: "voided", orderId });
    // The same request again is answered as the first was (with the resource: the connector asks for it).
    expect(await voidAuthorization(link, authorization.id, requestId)).toMatchObject({
      kind: "ok",
      status: 200,
      resource: { id: authorization.id, status: "VOIDED" },
    });
    const again = await voidAuthorization(link, authorization.id, operationId("void"));
    expect(again).toMatchObject({ kind: "refused", issue: "PREVIOUSLY_VOIDED" });
    expect(walletIssue("PREVIOUSLY_VOIDED").kind).toBe("already_done");
  });
});

describe("refunds", () => {
  it("refunds a part, then the rest, and no more", async () => {
    const capture = await capturedBy();
    const first = await ok(
      refundCapture(link, capture.id, {
        requestId: operationId("refund"),
        refundId: "re_1",
        amount: { minor: 10_000, currency: "USD" },
      }),
    );
    expect(refundAnswerOf(first)).toEqual({
      status: "succeeded",
      refundId: first.id,
      amountMinor: 10_000,
      currency: "USD",
    });
    expect(await ok(getCapture(link, capture.id))).toMatchObject({ status: "PARTIALLY_REFUNDED" });
    const rest = await ok(refundCapture(link, capture.id, { requestId: operationId("refund") }));
    expect(refundAnswerOf(rest)).toMatchObject({ status: "succeeded", amountMinor: 39_900 });
    const capturedStill = captureAnswerOf(await ok(getCapture(link, capture.id)));
    expect(capturedStill).toMatchObject({ status: "succeeded", amountMinor: 49_900 });
    const more = await refundCapture(link, capture.id, { requestId: operationId("refund") });
    expect(more).toMatchObject({ kind: "refused", status: 422, issue: "CAPTURE_FULLY_REFUNDED" });
    expect(refundAnswerOf(await ok(getRefund(link, first.id)))).toMatchObject({ amountMinor: 10_000 });
  });

  it("refuses a refund larger than what the capture still holds", async () => {
    const capture = await capturedBy();
    const reply = await refundCapture(link, capture.id, {
      requestId: operationId("refund"),
      amount: { minor: 60_000, currency: "USD" },
    });
    expect(reply).toMatchObject({ kind: "refused", status: 422, issue: "REFUND_AMOUNT_EXCEEDED" });
    expect(walletDeclineCode("REFUND_AMOUNT_EXCEEDED")).toBe("wallet_amount_exceeded");
  });
});

describe("a POST repeated under the same request id", () => {
  it("is the same request: one order, one capture, one refund, each answered 200 the second time", async () => {
    const request = newOrder();
    const created = await ok(createOrder(link, request));
    expect(await createOrder(link, request)).toMatchObject({ kind: "ok", status: 200, resource: { id: created.id } });
    expect((await kit.approve(created.id, "approve@wallet.test")).status).toBe(303);
    const captureId = operationId("capture");
    const first = await captureOrder(link, created.id, captureId);
    const second = await captureOrder(link, created.id, captureId);
    expect(first).toMatchObject({ kind: "ok", status: 201 });
    expect(second).toMatchObject({ kind: "ok", status: 200 });
    const idOf = (reply: typeof first) =>
      reply?.kind === "ok" ? reply.resource.purchase_units?.[0]?.payments?.captures?.[0]?.id : undefined;
    expect(idOf(second)).toBe(idOf(first));
    const refundId = operationId("refund");
    const refund = await ok(refundCapture(link, idOf(first) ?? "", { requestId: refundId }));
    expect(await refundCapture(link, idOf(first) ?? "", { requestId: refundId })).toMatchObject({
      kind: "ok",
      status: 200,
      resource: { id: refund.id },
    });
    const books = await kit.admin(`/orders/${created.id}`);
    expect(books.captures).toHaveLength(1);
    expect(books.refunds).toHaveLength(1);
    const another = await captureOrder(link, created.id, operationId("capture"));
    expect(another).toMatchObject({ kind: "refused", issue: "ORDER_ALREADY_CAPTURED" });
    expect(walletIssue("ORDER_ALREADY_CAPTURED").kind).toBe("already_done");
  });

  it("is no answer when PayPal replays an order made for another payment", async () => {
    const request = newOrder();
    await ok(createOrder(link, request));
    expect(await createOrder(link, { ...request, paymentId: "pay_other" })).toBeNull();
  });
});

describe("no usable answer", () => {
  it("never_answer: null within the budget; the repeat under the same request id tells what happened", async () => {
    const orderId = await approvedOrder();
    await kit.putAdmin("/faults", { mode: "never_answer", routes: ["orders.capture"] });
    const requestId = operationId("capture");
    expect(await captureOrder(link, orderId, requestId, { timeoutMs: 500 })).toBeNull();
    await kit.putAdmin("/faults", { mode: "none" });
    const repeat = await captureOrder(link, orderId, requestId);
    expect(repeat).toMatchObject({ kind: "ok", status: 200 });
    expect(orderAnswerOf((repeat as { resource: WalletOrder }).resource)).toMatchObject({
      capture: { status: "succeeded" },
    });
    expect((await kit.admin(`/orders/${orderId}`)).captures).toHaveLength(1);
  });

  it("http_500: null, and nothing happened, so the repeat runs it", async () => {
    const orderId = await approvedOrder();
    await kit.putAdmin("/faults", { mode: "http_500", routes: ["orders.capture"] });
    const requestId = operationId("capture");
    expect(await captureOrder(link, orderId, requestId)).toBeNull();
    await kit.putAdmin("/faults", { mode: "none" });
    expect(await captureOrder(link, orderId, requestId)).toMatchObject({ kind: "ok", status: 201 });
  });

  it("garbled, slow past the budget, refused connections, and a request still in progress: null", async () => {
    const order = await ok(createOrder(link, newOrder()));
    await kit.putAdmin("/faults", { mode: "garbled", routes: ["orders.get"] });
    expect(await getOrder(link, order.id)).toBeNull();
    await kit.putAdmin("/faults", { mode: "slow", slow_ms: 1_000, routes: ["orders.get"] });
    expect(await getOrder(link, order.id, { timeoutMs: 300 })).toBeNull();
    await kit.putAdmin("/faults", { mode: "refuse" });
    expect(await getOrder(link, order.id)).toBeNull();
    await kit.putAdmin("/faults", { mode: "none" });
    const inProgress = await getOrder(link, order.id, { mock: "PREVIOUS_REQUEST_IN_PROGRESS" });
    expect(inProgress).toBeNull();
    expect(await getOrder(link, order.id)).toMatchObject({ kind: "ok" });
  });

  it("no token (the token endpoint fails): null, and no API call is made", async () => {
    forgetWalletToken(link);
    await kit.putAdmin("/faults", { mode: "http_500", routes: ["oauth.token"] });
    expect(await createOrder(link, newOrder())).toBeNull();
    expect(sentTo("/v1/oauth2/token")).toHaveLength(1);
    expect(sentTo("/v2/")).toHaveLength(0);
  });
});

describe("webhooks", () => {
  const headersOf = (hook: ReceivedWebhook, changes: Record<string, string> = {}) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(hook.headers)) if (typeof value === "string") headers.set(name, value);
    for (const [name, value] of Object.entries(changes)) headers.set(name, value);
    return headers;
  };
  const hookFor = async (id: string, type: string) =>
    (
      await until(
        () => kit.webhooksFor(id, type),
        (found) => found.length > 0,
      )
    )[0]!;
  const certFetches = () => sentTo("/v1/notifications/certs/").length;

  it("accepts the simulator's webhooks, fetching its certificate once", async () => {
    const request = newOrder();
    const order = await ok(createOrder(link, request));
    expect((await kit.approve(order.id, "approve@wallet.test")).status).toBe(303);
    const approved = await hookFor(order.id, "CHECKOUT.ORDER.APPROVED");
    const before = certFetches();
    const event = await verifyWalletWebhook(link, headersOf(approved), approved.body);
    expect(event).toMatchObject({
      id: approved.event.id,
      eventType: "CHECKOUT.ORDER.APPROVED",
      transmissionId: approved.headers["paypal-transmission-id"],
      resource: { type: "order", order: { id: order.id } },
    });
    expect(event?.resource.type === "order" && orderAnswerOf(event.resource.order)).toMatchObject({
      status: "approved",
    });
    const captured = await ok(captureOrder(link, order.id, operationId("capture")));
    const captureId = captured.purchase_units?.[0]?.payments?.captures?.[0]?.id ?? "";
    const completed = await hookFor(captureId, "PAYMENT.CAPTURE.COMPLETED");
    const captureEvent = await verifyWalletWebhook(link, headersOf(completed), completed.body);
    expect(captureEvent?.resource).toMatchObject({ type: "capture", capture: { custom_id: request.paymentId } });
    expect(captureEvent?.resource.type === "capture" && captureAnswerOf(captureEvent.resource.capture)).toMatchObject({
      status: "succeeded",
      amountMinor: 49_900,
    });
    expect(certFetches() - before).toBe(1);
  });

  it("refuses a changed body, another webhook id, a stale or future time, a wrong algorithm, missing headers", async () => {
    const orderId = await approvedOrder();
    const hook = await hookFor(orderId, "CHECKOUT.ORDER.APPROVED");
    expect(await verifyWalletWebhook(link, headersOf(hook), hook.body)).not.toBeNull();
    const tampered = hook.body.replace('"APPROVED"', '"COMPLETED"');
    expect(tampered).not.toBe(hook.body);
    expect(await verifyWalletWebhook(link, headersOf(hook), tampered)).toBeNull();
    const otherSubscription = { ...link, webhookId: "WH0ANOTHER0000001" };
    expect(await verifyWalletWebhook(otherSubscription, headersOf(hook), hook.body)).toBeNull();
    expect(await verifyWalletWebhook(link, headersOf(hook), hook.body, Date.now() + 6 * 60_000)).toBeNull();
    expect(await verifyWalletWebhook(link, headersOf(hook), hook.body, Date.now() - 6 * 60_000)).toBeNull();
    const sha1 = headersOf(hook, { "paypal-auth-algo": "SHA1withRSA" });
    expect(await verifyWalletWebhook(link, sha1, hook.body)).toBeNull();
    const unsigned = headersOf(hook);
    unsigned.delete("paypal-transmission-sig");
    expect(await verifyWalletWebhook(link, unsigned, hook.body)).toBeNull();
  });

  it("refuses a certificate URL it does not trust, without fetching it", async () => {
    const orderId = await approvedOrder();
    const hook = await hookFor(orderId, "CHECKOUT.ORDER.APPROVED");
    const certPath = new URL(String(hook.headers["paypal-cert-url"])).pathname;
    sent.length = 0;
    for (const foreign of [
      `https://evil.example${certPath}`,
      `https://api.paypal.com.evil.example${certPath}`,
      `http://api.paypal.com${certPath}`,
      `https://api.paypal.com:8443${certPath}`,
      `http://127.0.0.1:1${certPath}`,
      `${kit.sim.url}/v2/checkout/orders/${orderId}`,
      "not a url",
    ]) {
      expect(await verifyWalletWebhook(link, headersOf(hook, { "paypal-cert-url": foreign }), hook.body)).toBeNull();
    }
    // A link that is not on this machine trusts only PayPal's hosts, not the simulator's origin.
    const remote = { ...link, url: "https://api-m.sandbox.paypal.com" };
    expect(await verifyWalletWebhook(remote, headersOf(hook), hook.body)).toBeNull();
    expect(sent).toHaveLength(0);
  });
});

describe("the gateway's terms", () => {
  const money = { currency_code: "USD", value: "1.00" };
  it("maps every capture, authorization and refund status", () => {
    const capture = (status: WalletCapture["status"]) => captureAnswerOf({ id: "C", status, amount: money }).status;
    expect(["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"].map((s) => capture(s as WalletCapture["status"]))).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
    ]);
    expect(captureAnswerOf({ id: "C", status: "FAILED", amount: money })).toMatchObject({
      status: "failed",
      declineCode: "wallet_capture_failed",
    });
    expect(authorizationAnswerOf({ id: "A", status: "DENIED", amount: money })).toMatchObject({
      status: "failed",
      declineCode: "wallet_authorization_denied",
    });
    expect(authorizationAnswerOf({ id: "A", status: "PENDING", amount: money }).status).toBe("pending");
    expect(refundAnswerOf({ id: "R", status: "PENDING", amount: money }).status).toBe("pending");
    expect(refundAnswerOf({ id: "R", status: "FAILED", amount: money })).toMatchObject({
      declineCode: "wallet_refund_failed",
    });
    expect(refundAnswerOf({ id: "R", status: "CANCELLED", amount: money })).toMatchObject({
      declineCode: "wallet_refund_cancelled",
    });
    expect(orderAnswerOf({ id: "O", status: "SAVED" }).status).toBe("approved");
    expect(orderAnswerOf({ id: "O", status: "COMPLETED" })).toEqual({
      status: "completed",
      orderId: "O",
      capture: null,
      authorization: null,
    });
  });

  it("gives every PayPal issue a decline code, an unknown one processor_error", () => {
    expect(walletDeclineCode("INSTRUMENT_DECLINED")).toBe("wallet_instrument_declined");
    expect(walletDeclineCode("PAYER_CANNOT_PAY")).toBe("wallet_payer_cannot_pay");
    expect(walletIssue("SOMETHING_NEW")).toEqual({ kind: "technical", declineCode: "processor_error" });
    expect(walletIssue("toString")).toEqual({ kind: "technical", declineCode: "processor_error" });
  });
});
