import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeUpi } from "../../common/upi/upi-messages.js";
import { signUpiXml } from "../../common/upi/upi-signature.js";
import { apiCall, type DevJson, startStack } from "../support/running-stack.js";
import { query } from "../support/sql-client.js";
import { stackWritings } from "../support/stack-scan.js";
import { forgedSigner, switchTransaction, upiPayment, waitForStatus } from "../support/upi-kit.js";
import { eventually, WebhookReceiver } from "../support/webhook-receiver.js";

/**
 * UPI end to end (issue 14): payments through the stack `npm start` boots, the edge speaking
 * NPCI-style signed XML to the switch simulator over HTTP and taking its signed callbacks. NPCI's
 * first status check (90 s) is shortened to 2 s, the switch's request fence to 4 s, and the test
 * VPAs' delays to fractions of a second; slow@upi's callback comes after 7 s, well after the
 * first status check has decided.
 */
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `\n!!! SKIPPING the UPI intent tests in Chromium: ${CHROMIUM} is missing.\n!!! Install it with: apt-get install -y chromium\n`,
  );
}

let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  stack = await startStack({
    WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1,1,1,1",
    WEBHOOK_LOCAL_RECEIVERS: "on",
    UPI_FIRST_STATUS_CHECK_SECONDS: "2",
    UPI_REQUEST_FENCE_SECONDS: "4",
    UPI_PAYER_DELAY_MS: "300",
    UPI_SLOW_CALLBACK_MS: "7000",
    UPI_TEST_EXPIRY_MS: "1500",
    UPI_REVERSAL_DELAY_MS: "1000",
    UPI_DEEMED_RESOLVE_MS: "3000",
  });
  dev = stack.dev;
  await receiver.start();
  const endpoint = await apiCall(dev, "POST", "/v1/webhook_endpoints", {
    json: {
      url: receiver.url,
      enabled_events: ["payment.requires_action", "payment.captured", "payment.failed", "payment.expired"],
    },
  });
  expect(endpoint.status).toBe(201);
  receiver.secret = endpoint.json.secret;
}, 180_000);

afterAll(async () => {
  await receiver.stop();
  await stack?.stop();
});

/** The webhooks delivered for one payment, by type. */
const deliveredFor = (id: string) =>
  receiver.deduplicated
    .filter((request) => (JSON.parse(request.body) as { data: { object: { id: string } } }).data.object.id === id)
    .map((request) => request.type);

/** The Postgres projection of a payment, once it has caught up with `status`. */
async function projected(id: string, status: string) {
  return eventually(
    async () =>
      (
        await query<{ status: string; amount_refunded: string }>(
          dev.database_url,
          "select status, amount_refunded from payments where id = $1",
          [id],
        )
      )[0],
    (row) => row?.status === status,
  );
}

describe("UPI collect through the switch", () => {
  it("collects 499.00 INR from success@upi: requires_action, then captured, the webhooks and the books agreeing", async () => {
    const created = await upiPayment(dev, { amount: 49_900, flow: "collect", vpa: "success@upi" });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      status: "requires_action",
      amount: 49_900,
      currency: "inr",
      payment_method: { type: "upi", upi: { flow: "collect", vpa: "success@upi", rrn: null } },
      next_action: { type: "upi_collect", upi_collect: { vpa: "success@upi" } },
    });
    const txnId = created.json.payment_method.upi.transaction_id as string;
    expect(txnId).toMatch(/^GWY[A-Za-z0-9]{32}$/);

    const payment = await waitForStatus(dev, created.json.id, "captured");
    expect(payment).toMatchObject({
      amount_captured: 49_900,
      processor: "upi_switch",
      next_action: null,
      payment_method: { upi: { rrn: expect.stringMatching(/^\d{12}$/) } },
    });
    const booked = await switchTransaction(dev, txnId);
    expect(booked).toMatchObject({ state: "SUCCESS", amount_paise: 49_900, rrn: payment.payment_method.upi.rrn });
    expect((await projected(created.json.id, "captured")).status).toBe("captured");
    const hooks = await eventually(
      () => deliveredFor(created.json.id),
      (types) => types.includes("payment.captured"),
    );
    expect(hooks.sort()).toEqual(["payment.captured", "payment.requires_action"]);
  });

  it.each([
    ["failure@upi", "U30", "upi_debit_failed"],
    ["declined@upi", "ZA", "upi_declined_by_payer"],
    ["pin@upi", "ZM", "upi_invalid_pin"],
    ["funds@upi", "Z9", "insufficient_funds"],
    ["risk@upi", "U16", "upi_risk_threshold_exceeded"],
  ])("fails a collect to %s with NPCI's %s, mapped to %s", async (vpa, code, declineCode) => {
    const created = await upiPayment(dev, { amount: 1_000, flow: "collect", vpa });
    expect(created.status).toBe(200);
    const payment = await waitForStatus(dev, created.json.id, "failed");
    expect(payment.decline_code).toBe(declineCode);
    expect(payment.attempts[0]).toMatchObject({ status: "declined", network_code: code, processor: "upi_switch" });
    const booked = await switchTransaction(dev, payment.payment_method.upi.transaction_id);
    expect(booked).toMatchObject({ state: "FAILURE", err_code: code });
    await projected(created.json.id, "failed");
    await eventually(
      () => deliveredFor(created.json.id),
      (types) => types.includes("payment.failed"),
    );
  });

  it("ends a collect to expire@upi expired (U69), with payment.expired delivered", async () => {
    const created = await upiPayment(dev, { amount: 1_500, flow: "collect", vpa: "expire@upi" });
    const payment = await waitForStatus(dev, created.json.id, "expired");
    expect(payment).toMatchObject({ decline_code: "upi_collect_expired", amount_captured: 0, next_action: null });
    expect(await switchTransaction(dev, payment.payment_method.upi.transaction_id)).toMatchObject({
      err_code: "U69",
    });
    await projected(created.json.id, "expired");
    await eventually(
      () => deliveredFor(created.json.id),
      (types) => types.includes("payment.expired"),
    );
  });

  it("resolves lost@upi, whose callback never comes, by status check on the configured timers", async () => {
    const started = Date.now();
    const created = await upiPayment(dev, { amount: 2_500, flow: "collect", vpa: "lost@upi" });
    const payment = await waitForStatus(dev, created.json.id, "captured", 20_000);
    // Not before NPCI's first check (2 s here), and not much after it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    const events = await apiCall(dev, "GET", `/v1/payments/${payment.id}/events`);
    expect(
      events.json.data.filter((event: { event_type: string }) => event.event_type === "payment.captured"),
    ).toHaveLength(1);
    const callbacks = await (await fetch(`${dev.upi_switch_admin}/callbacks`)).json();
    expect(JSON.stringify(callbacks)).not.toContain(payment.payment_method.upi.transaction_id);
  });

  it("lets the status check decide slow@upi, and its late callback changes nothing", async () => {
    const created = await upiPayment(dev, { amount: 3_300, flow: "collect", vpa: "slow@upi" });
    const txnId = created.json.payment_method.upi.transaction_id as string;
    const decided = await waitForStatus(dev, created.json.id, "captured", 6_000);
    // The callback comes after 7 s and is acknowledged (200), or the switch would keep retrying.
    const delivered = await eventually(
      async () =>
        (await (await fetch(`${dev.upi_switch_admin}/callbacks`)).json()) as {
          callbacks: { txn_id: string; status: number }[];
        },
      (log) => log.callbacks.some((entry) => entry.txn_id === txnId && entry.status === 200),
      20_000,
    );
    expect(delivered.callbacks.filter((entry) => entry.txn_id === txnId).every((entry) => entry.status === 200)).toBe(
      true,
    );
    const after = await apiCall(dev, "GET", `/v1/payments/${created.json.id}`);
    expect(after.json.version).toBe(decided.version);
    const events = await apiCall(dev, "GET", `/v1/payments/${created.json.id}/events`);
    expect(
      events.json.data.filter((event: { event_type: string }) => event.event_type === "payment.captured"),
    ).toHaveLength(1);
  });

  it("refunds partially then fully through the switch, the books and the payment equal", async () => {
    const created = await upiPayment(dev, { amount: 49_900, flow: "collect", vpa: "success@upi" });
    const paid = await waitForStatus(dev, created.json.id, "captured");
    const partial = await apiCall(dev, "POST", `/v1/payments/${paid.id}/refund`, {
      json: { amount: 10_000 },
      idempotencyKey: `r1-${paid.id}`,
    });
    expect([200, 202]).toContain(partial.status);
    await waitForStatus(dev, paid.id, "partially_refunded");
    const full = await apiCall(dev, "POST", `/v1/payments/${paid.id}/refund`, {
      json: {},
      idempotencyKey: `r2-${paid.id}`,
    });
    expect([200, 202]).toContain(full.status);
    const refunded = await waitForStatus(dev, paid.id, "refunded");
    expect(refunded.amount_refunded).toBe(49_900);
    expect(
      refunded.refunds.map((refund: { amount: number; status: string }) => [refund.amount, refund.status]),
    ).toEqual([
      [10_000, "succeeded"],
      [39_900, "succeeded"],
    ]);
    const booked = await switchTransaction(dev, paid.payment_method.upi.transaction_id);
    const refundsAtSwitch = booked.refunds as { amount_paise: number; state: string }[];
    expect(
      refundsAtSwitch
        .filter((refund) => refund.state === "SUCCESS")
        .reduce((sum, refund) => sum + refund.amount_paise, 0),
    ).toBe(refunded.amount_refunded);
    expect((await projected(paid.id, "refunded")).amount_refunded).toBe("49900");
  });

  it("refuses a forged callback with 401 and changes nothing; a replayed genuine one is acknowledged and changes nothing", async () => {
    const created = await upiPayment(dev, { amount: 4_000, flow: "collect", vpa: "manual@upi" });
    const txnId = created.json.payment_method.upi.transaction_id as string;
    const forged = await signUpiXml(
      encodeUpi({
        api: "RespPay",
        head: { ts: new Date().toISOString(), orgId: "NPCI", msgId: `NPC${"f".repeat(32)}` },
        txn: { id: txnId, ts: new Date().toISOString(), type: "COLLECT", custRef: "123456789012" },
        resp: { reqMsgId: txnId, result: "SUCCESS", refs: [{ type: "PAYER", addr: "manual@upi", respCode: "00" }] },
      }),
      await forgedSigner(stack.dataDir),
    );
    const answer = await fetch(`${dev.api}/network/upi/test/RespPay/2.0/urn:txnid:${txnId}`, {
      method: "POST",
      headers: { "Content-Type": "application/xml" },
      body: forged,
    });
    expect(answer.status).toBe(401);
    const still = await apiCall(dev, "GET", `/v1/payments/${created.json.id}`);
    expect(still.json).toMatchObject({ status: "requires_action", version: created.json.version });

    // The payer approves on the switch's page; the genuine callback captures it once.
    const page = await fetch(`${dev.upi_payer}/collect?vpa=manual@upi&txn=${txnId}`);
    expect(await page.text()).toContain(txnId);
    const approved = await fetch(`${dev.upi_payer}/approve`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ txn: txnId, vpa: "manual@upi" }),
    });
    expect(approved.status).toBe(200);
    const captured = await waitForStatus(dev, created.json.id, "captured");
    const replay = await fetch(`${dev.upi_switch_admin}/callbacks/${txnId}/replay`, { method: "POST" });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 200 });
    const after = await apiCall(dev, "GET", `/v1/payments/${created.json.id}`);
    expect(after.json.version).toBe(captured.version);
  });
});

describe("the UPI callback endpoint under attack", () => {
  it("answers every hostile body with a 4xx Ack, never a 5xx, and moves nothing", async () => {
    const created = await upiPayment(dev, { amount: 5_000, flow: "collect", vpa: "manual@upi" });
    const txnId = created.json.payment_method.upi.transaction_id as string;
    const post = (body: string, path = `test/RespPay/2.0/urn:txnid:${txnId}`) =>
      fetch(`${dev.api}/network/upi/${path}`, { method: "POST", headers: { "Content-Type": "application/xml" }, body });
    const genuineShape = encodeUpi({
      api: "RespPay",
      head: { ts: new Date().toISOString(), orgId: "NPCI", msgId: `NPC${"a".repeat(32)}` },
      txn: { id: txnId, ts: new Date().toISOString(), type: "COLLECT", custRef: "123456789012" },
      resp: { reqMsgId: txnId, result: "SUCCESS", refs: [] },
    });
    const hostile: [string, Promise<Response>, number][] = [
      ["garbage", post("\u0000<<not xml"), 401],
      ["an unsigned RespPay", post(genuineShape), 401],
      ["an entity bomb", post(`<!DOCTYPE x [<!ENTITY a "aaaa">]>${genuineShape}`), 401],
      ["a body over 64 KiB", post(`<a>${"x".repeat(100_000)}</a>`), 413],
      ["the live mode's URL, which has no switch here", post(genuineShape, `live/RespPay/2.0/urn:txnid:${txnId}`), 404],
    ];
    for (const [what, answer, status] of hostile) {
      const response = await answer;
      expect(response.status, what).toBe(status);
      expect(await response.text(), what).toContain("Ack");
    }
    const still = await apiCall(dev, "GET", `/v1/payments/${created.json.id}`);
    expect(still.json).toMatchObject({ status: "requires_action", version: created.json.version });
  });

  it("answers a flood of forgeries 429 with Retry-After, as failed authentications are", async () => {
    const url = `${dev.api}/network/upi/test/RespPay/2.0/urn:txnid:GWY${"0".repeat(32)}`;
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(url, { method: "POST", headers: { "Content-Type": "application/xml" }, body: "<forged/>" }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    const limited = answers.find((answer) => answer.status === 429);
    expect(limited?.headers.get("Retry-After")).toMatch(/^\d+$/);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the address's allowance refills
  });
});

describe("UPI intent", () => {
  it("offers a upi://pay URL and its QR code, and captures once the payer approves in their app", async () => {
    const created = await upiPayment(dev, { amount: 12_345, flow: "intent" });
    expect(created.status).toBe(200);
    const intent = created.json.next_action.upi_intent;
    const url = new URL(intent.url);
    expect(url.protocol).toBe("upi:");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      tr: created.json.payment_method.upi.transaction_id,
      am: "123.45",
      cu: "INR",
      pa: created.json.payment_method.upi.payee_vpa,
    });
    expect(intent.qr_code.image_url_svg).toMatch(/^data:image\/svg\+xml;base64,/);
    const approved = await fetch(`${dev.upi_payer}?upi=${encodeURIComponent(intent.url)}`);
    expect(approved.status).toBe(200);
    const form = await fetch(`${dev.upi_payer}/approve`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ txn: created.json.payment_method.upi.transaction_id, vpa: "success@upi" }),
    });
    expect(form.status).toBe(200);
    const payment = await waitForStatus(dev, created.json.id, "captured");
    expect(payment.payment_method.upi.vpa).toBe("success@upi");
  });
});

describe.skipIf(!hasChromium)("UPI intent in the payer's app (Chromium)", () => {
  /** Opens the intent's `upi://pay` URL in the switch's payer app, as a phone's UPI app would, and presses `button`. */
  async function payInBrowser(url: string, vpa: string, button: "#approve" | "#decline"): Promise<string> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${dev.upi_payer}?upi=${encodeURIComponent(url)}`);
      await page.fill("#payer-vpa", vpa);
      await Promise.all([page.waitForNavigation(), page.click(button)]);
      return (await page.locator("body").textContent()) ?? "";
    } finally {
      await browser.close();
    }
  }

  it("captures an intent the payer approves, showing the merchant and the amount first", async () => {
    const created = await upiPayment(dev, { amount: 49_900, flow: "intent" });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${dev.upi_payer}?upi=${encodeURIComponent(created.json.next_action.upi_intent.url)}`);
      const shown = (await page.locator("body").textContent()) ?? "";
      expect(shown).toContain("499.00");
      expect(shown).toContain(created.json.payment_method.upi.payee_vpa);
    } finally {
      await browser.close();
    }
    const result = await payInBrowser(created.json.next_action.upi_intent.url, "success@upi", "#approve");
    expect(result).toContain("Payment approved");
    const payment = await waitForStatus(dev, created.json.id, "captured");
    expect(payment.payment_method.upi.vpa).toBe("success@upi");
    expect(await switchTransaction(dev, payment.payment_method.upi.transaction_id)).toMatchObject({ state: "SUCCESS" });
  });

  it("fails an intent the payer declines with ZA", async () => {
    const created = await upiPayment(dev, { amount: 2_000, flow: "intent" });
    const result = await payInBrowser(created.json.next_action.upi_intent.url, "success@upi", "#decline");
    expect(result).toContain("Payment declined");
    const payment = await waitForStatus(dev, created.json.id, "failed");
    expect(payment.decline_code).toBe("upi_declined_by_payer");
    await projected(created.json.id, "failed");
  });
});

describe("UPI requests the API refuses", () => {
  it("names the parameter: a malformed VPA, a currency other than INR, an amount over the limit, manual capture", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ payment_method: { type: "upi", upi: { flow: "collect", vpa: "not a vpa" } } }, "payment_method[upi][vpa]"],
      [
        { payment_method: { type: "upi", upi: { flow: "collect", vpa: "4242424242424242@upi" } } },
        "payment_method[upi][vpa]",
      ],
      [{ currency: "usd" }, "currency"],
      [{ amount: 10_000_001 }, "amount"],
      [{ capture_method: "manual" }, "capture_method"],
    ];
    for (const [change, param] of cases) {
      const answer = await apiCall(dev, "POST", "/v1/payments", {
        json: {
          amount: 1_000,
          currency: "inr",
          payment_method: { type: "upi", upi: { flow: "collect", vpa: "success@upi" } },
          ...change,
        },
      });
      expect(answer.status, param).toBe(400);
      expect(answer.json.error.param).toBe(param);
    }
  });

  it("fails a UPI payment at once, sending nothing, when the merchant's routing disables the switch", async () => {
    const put = (json: unknown) => apiCall(dev, "PUT", "/v1/routing", { json });
    expect((await put({ disabled: ["upi_switch"] })).status).toBe(200);
    try {
      const answer = await upiPayment(dev, { amount: 1_000, flow: "intent" });
      expect(answer.status).toBe(402);
      expect(answer.json.error).toMatchObject({
        type: "payment_method_error",
        decline_code: "payment_method_not_enabled",
      });
      expect(answer.json.error.payment).toMatchObject({ status: "failed", attempts: [] });
    } finally {
      expect((await put({})).status).toBe(200);
    }
  });

  it("refuses an unknown VPA with 402 and the switch's code, creating nothing", async () => {
    const answer = await upiPayment(dev, { amount: 1_000, flow: "collect", vpa: "nobody@upi" });
    expect(answer.status).toBe(402);
    expect(answer.json.error).toMatchObject({
      code: "upi_vpa_invalid",
      param: "payment_method[upi][vpa]",
      network_code: "ZH",
    });
    expect(answer.json.error.payment).toBeUndefined();
  });
});

describe("UPI keys stay secret", () => {
  it("writes neither the gateway's nor the switch's private key into any log or Postgres row", async () => {
    const keys = JSON.parse(readFileSync(join(stack.dataDir, "upi-keys.json"), "utf8")) as Record<
      "psp" | "switch",
      Record<string, string>
    >;
    const { dump, logs } = await stackWritings(dev, stack.dataDir);
    for (const part of ["d", "p", "q", "dp", "dq", "qi"]) {
      for (const owner of ["psp", "switch"] as const) {
        const secret = keys[owner][part] ?? "";
        expect(secret.length).toBeGreaterThan(20);
        expect(logs.includes(secret), `${owner}.${part} in a log`).toBe(false);
        expect(dump.includes(secret), `${owner}.${part} in Postgres`).toBe(false);
      }
    }
  });
});
