import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CheckoutSessionRecord } from "../../durable-objects/checkout-session/checkout-session-record.js";
import { BASE, call, expectError, liveSecretKey, newMerchant } from "./support/api.js";
import { sql } from "./support/database.js";
import { approvingVault } from "./support/fake-vault.js";

const SESSION = {
  amount: 1999,
  currency: "usd",
  success_url: "https://shop.example/thanks?order=42",
  cancel_url: "https://shop.example/cart",
};

afterEach(() => {
  vi.restoreAllMocks();
});

async function createSession(key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return call("POST", "/v1/checkout_sessions", { key, body: { ...SESSION, ...body }, headers });
}

/** The hosted page as a browser gets it, and the secret it embeds for its pay request. */
async function openPage(id: string) {
  const response = await SELF.fetch(`${BASE}/checkout/${id}`);
  const html = await response.text();
  const config = /<script type="application\/json" id="checkout-config">([^<]*)<\/script>/.exec(html)?.[1];
  const parsed = config ? (JSON.parse(config) as { pageSecret: string; publishableKey: string }) : null;
  return { response, html, pageSecret: parsed?.pageSecret ?? "", publishableKey: parsed?.publishableKey ?? "" };
}

/** The page's pay request, as its script sends it (same origin). */
function pay(id: string, token: string, pageSecret: string, origin: string | null = BASE) {
  return call("POST", `/checkout/${id}/pay`, {
    body: { token, page_secret: pageSecret },
    headers: origin ? { Origin: origin } : {},
  });
}

/** The vault's internal API answering authorizations by token: listed tokens decline, others approve. */
function vaultDeclining(declined: Set<string>) {
  const real = globalThis.fetch;
  const authorized: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(`${env.VAULT_URL}/internal/v1/`)) return real(input, init);
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    const path = url.slice(`${env.VAULT_URL}/internal/v1/`.length);
    const card = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, funding: "credit", country: "US" };
    const processor = typeof body.processor === "string" ? body.processor : "acquirer_a";
    const reference = `ref_${String(body.operation_id)}`;
    if (path === "authorize") {
      const token = String(body.token ?? body.card_token);
      authorized.push(token);
      if (declined.has(token)) {
        return Response.json({
          outcome: "declined",
          processor,
          processor_reference: reference,
          decline_code: "insufficient_funds",
          decline_retry: "hard",
          network_response_code: "51",
          card,
        });
      }
    }
    return Response.json({ outcome: "approved", processor, processor_reference: reference, auth_code: "123456", card });
  });
  return authorized;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function sessionObject(id: string) {
  return env.CHECKOUT_SESSIONS.get(env.CHECKOUT_SESSIONS.idFromString(id.slice(3)));
}

describe("checkout sessions: the API", () => {
  it("refuses each invalid field with a 400 naming it", async () => {
    const { secretKey } = await newMerchant();
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: 10.5 }, "amount"],
      [{ amount: 0 }, "amount"],
      [{ currency: "usx" }, "currency"],
      [{ success_url: "ftp://shop.example/thanks" }, "success_url"],
      [{ success_url: "javascript:alert(1)" }, "success_url"],
      [{ success_url: "/thanks" }, "success_url"],
      [{ success_url: `https://shop.example/${"a".repeat(2_100)}` }, "success_url"],
      [{ success_url: "https://user:pw@shop.example/thanks" }, "success_url"],
      [{ cancel_url: "data:text/html,hi" }, "cancel_url"],
      [{ cancel_url: "https://shop.example/cart?card=4242424242424242" }, "cancel_url"],
      [{ payment_method_types: ["upi"] }, "payment_method_types"],
      [{ payment_method_types: ["card", "upi"] }, "payment_method_types"],
      // Indian rupees are not among PayPal's REST currencies: no button the customer would be refused at.
      [{ currency: "inr", payment_method_types: ["paypal"] }, "payment_method_types"],
      [{ payment_method_types: [] }, "payment_method_types"],
      [{ payment_method_types: ["bitcoin"] }, "payment_method_types[0]"],
      [{ description: "card 4242 4242 4242 4242" }, "description"],
      [{ metadata: { note: "4242424242424242" } }, "metadata[note]"],
      [{ expires_in: 60 }, "expires_in"],
      [{ expires_in: 86_401 }, "expires_in"],
      [{ expires_in: 600.5 }, "expires_in"],
      [{ tip: 1 }, "tip"],
    ];
    for (const [body, param] of cases) {
      expectError(await createSession(secretKey, body), 400, "invalid_request_error", param);
    }
    const { success_url: _omitted, ...withoutSuccess } = SESSION;
    expectError(
      await call("POST", "/v1/checkout_sessions", { key: secretKey, body: withoutSuccess }),
      400,
      "invalid_request_error",
      "success_url",
    );
  });

  it("creates an open session with its hosted page's url, readable only by its merchant in its mode", async () => {
    const { id: merchantId, secretKey } = await newMerchant();
    const before = Math.floor(Date.now() / 1000);
    const created = await createSession(secretKey, { description: "Order 42", metadata: { order: "42" } });
    expect(created.status).toBe(200);
    const session = created.json;
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      payment: null,
      amount: 1999,
      currency: "usd",
      payment_method_types: ["card"],
      success_url: SESSION.success_url,
      cancel_url: SESSION.cancel_url,
      description: "Order 42",
      metadata: { order: "42" },
      livemode: false,
    });
    expect(session.id).toMatch(/^cs_[0-9a-f]{64}$/);
    expect(session.url).toBe(`${BASE}/checkout/${session.id}`);
    expect(session.expires_at - before).toBeGreaterThanOrEqual(1_800 - 1);
    expect(session.expires_at - before).toBeLessThanOrEqual(1_800 + 5);

    expect((await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json).toEqual(session);
    const stranger = await newMerchant();
    expectError(
      await call("GET", `/v1/checkout_sessions/${session.id}`, { key: stranger.secretKey }),
      404,
      "invalid_request_error",
      "id",
    );
    const live = await liveSecretKey(merchantId);
    expectError(
      await call("GET", `/v1/checkout_sessions/${session.id}`, { key: live.secret }),
      404,
      "invalid_request_error",
      "id",
    );
    expectError(
      await call("POST", `/v1/checkout_sessions/${session.id}/expire`, { key: stranger.secretKey, body: {} }),
      404,
      "invalid_request_error",
    );
    expectError(
      await call("GET", "/v1/checkout_sessions/cs_nope", { key: secretKey }),
      404,
      "invalid_request_error",
      "id",
    );
    expect((await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json.status).toBe("open");
  });

  it("honours Idempotency-Key: replays the session, refuses other parameters, keeps modes apart", async () => {
    const { id: merchantId, secretKey } = await newMerchant();
    const key = { "Idempotency-Key": `cs-${crypto.randomUUID()}` };
    const first = await createSession(secretKey, {}, key);
    const again = await createSession(secretKey, {}, key);
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    expectError(await createSession(secretKey, { amount: 2000 }, key), 400, "idempotency_error");
    const live = await liveSecretKey(merchantId);
    const inLive = await createSession(live.secret, {}, key);
    expect(inLive.status).toBe(200);
    expect(inLive.json.livemode).toBe(true);
    expect(inLive.json.id).not.toBe(first.json.id);
  });

  it("issues one hosted-checkout publishable key per merchant and mode, named in its key list", async () => {
    const { id: merchantId, secretKey } = await newMerchant();
    const one = await createSession(secretKey);
    const two = await createSession(secretKey);
    const [a, b] = await Promise.all([openPage(one.json.id), openPage(two.json.id)]);
    expect(a.publishableKey).toMatch(/^pk_test_[0-9A-Za-z]{32}$/);
    expect(b.publishableKey).toBe(a.publishableKey);
    const keys = await sql<{ name: string | null }>(
      "select name from api_keys where merchant_id = $1 and type = 'publishable' and name = 'Hosted checkout'",
      [merchantId],
    );
    expect(keys).toHaveLength(1);
    // Revoked by the merchant: the next session gets a new one.
    await sql("update api_keys set revoked_at = now() where merchant_id = $1 and name = 'Hosted checkout'", [
      merchantId,
    ]);
    const three = await createSession(secretKey);
    const c = await openPage(three.json.id);
    expect(c.publishableKey).toMatch(/^pk_test_/);
    expect(c.publishableKey).not.toBe(a.publishableKey);
  });
});

describe("checkout sessions: the hosted page", () => {
  it("serves the page with the amount, the vault's frame under a strict nonce CSP, and 404 for unknown links", async () => {
    const { secretKey } = await newMerchant({ name: "Corner <Shop>" });
    const session = (await createSession(secretKey, { amount: 123456, currency: "jpy" })).json;
    const page = await openPage(session.id);
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get("Content-Type")).toContain("text/html");
    expect(page.html).toContain("¥123,456");
    expect(page.html).toContain("Corner &lt;Shop&gt;");
    expect(page.html).not.toContain("Corner <Shop>");
    expect(page.html).toContain(`${new URL(env.VAULT_URL).origin}/pay.js`);
    const policy = page.response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] ?? "";
    expect(nonce.length).toBeGreaterThan(10);
    expect(policy).toContain(`frame-src ${new URL(env.VAULT_URL).origin}`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-inline");
    for (const tag of page.html.match(/<script(?![^>]*type="application\/json")[^>]*>/g) ?? []) {
      expect(tag).toContain(`nonce="${nonce}"`);
    }
    const dinar = (await createSession(secretKey, { amount: 1999, currency: "bhd" })).json;
    expect((await openPage(dinar.id)).html).toContain("1.999");

    const unknown = await SELF.fetch(`${BASE}/checkout/cs_${"0".repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("not valid");
    expect((await SELF.fetch(`${BASE}/checkout/cs_nope`)).status).toBe(404);
  });

  it("pays with a card token and sends the customer to success_url with the session id; checkout.session.completed follows", async () => {
    const { id: merchantId, secretKey } = await newMerchant();
    const endpoint = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["checkout.session.completed"] },
    });
    expect(endpoint.status).toBe(201);
    const calls = approvingVault();
    const session = (await createSession(secretKey, { metadata: { order: "42" } })).json;
    const { pageSecret } = await openPage(session.id);
    const paid = await pay(session.id, "tok_hostedApproved1", pageSecret);
    expect(paid.status).toBe(200);
    expect(paid.json.status).toBe("complete");
    expect(paid.json.redirect_url).toBe(`https://shop.example/thanks?order=42&session_id=${session.id}`);
    expect(calls.filter((c) => c.path === "authorize")).toHaveLength(1);

    const done = (await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json;
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    expect(done.payment).toMatch(/^pay_[0-9a-f]{64}$/);
    const payment = (await call("GET", `/v1/payments/${done.payment}`, { key: secretKey })).json;
    expect(payment).toMatchObject({ status: "captured", amount: 1999, currency: "usd" });
    expect(payment.metadata).toEqual({ order: "42", checkout_session: session.id });

    // A double submit after completion pays nothing more and lands the same place.
    const again = await pay(session.id, "tok_hostedApproved1", pageSecret);
    expect(again.json.redirect_url).toBe(paid.json.redirect_url);
    expect(calls.filter((c) => c.path === "authorize")).toHaveLength(1);
    const page = await openPage(session.id);
    expect(page.html).toContain('data-state="complete"');

    await runDurableObjectAlarm(sessionObject(session.id));
    const events = await eventually(
      () =>
        sql<{ id: string; type: string; data: { payment: string } }>(
          "select id, type, data from events where merchant_id = $1 and object_id = $2",
          [merchantId, session.id],
        ),
      (rows) => rows.length > 0,
    );
    expect(events.map((event) => event.type)).toEqual(["checkout.session.completed"]);
    expect(events[0]?.data.payment).toBe(done.payment);
    const deliveries = await sql("select 1 from webhook_deliveries where event_id = $1", [events[0]?.id]);
    expect(deliveries).toHaveLength(1);
  });

  it("uses the {CHECKOUT_SESSION_ID} placeholder when success_url has it", async () => {
    const { secretKey } = await newMerchant();
    approvingVault();
    const session = (
      await createSession(secretKey, { success_url: "https://shop.example/done/{CHECKOUT_SESSION_ID}?x=1" })
    ).json;
    expect(session.success_url).toBe("https://shop.example/done/{CHECKOUT_SESSION_ID}?x=1");
    const { pageSecret } = await openPage(session.id);
    const paid = await pay(session.id, "tok_hostedPlaceholder", pageSecret);
    expect(paid.json.redirect_url).toBe(`https://shop.example/done/${session.id}?x=1`);
  });

  it("completes exactly once when two pays arrive together, whatever the cards", async () => {
    const { secretKey } = await newMerchant();
    const calls = approvingVault();
    const session = (await createSession(secretKey)).json;
    const { pageSecret } = await openPage(session.id);
    const answers = await Promise.all([
      pay(session.id, "tok_hostedConcurrentA", pageSecret),
      pay(session.id, "tok_hostedConcurrentB", pageSecret),
      pay(session.id, "tok_hostedConcurrentA", pageSecret),
    ]);
    for (const answer of answers) expect(answer.json.status).toBe("complete");
    expect(calls.filter((c) => c.path === "authorize")).toHaveLength(1);
    const done = (await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json;
    expect(done).toMatchObject({ status: "complete", payment_status: "paid" });
    expect(new Set(answers.map((answer) => answer.json.redirect_url))).toEqual(
      new Set([`https://shop.example/thanks?order=42&session_id=${session.id}`]),
    );
  });

  it("shows a decline and lets the customer try another card; the session stays open", async () => {
    const { secretKey } = await newMerchant();
    const authorized = vaultDeclining(new Set(["tok_hostedDeclined"]));
    const session = (await createSession(secretKey)).json;
    const { pageSecret } = await openPage(session.id);
    const declined = await pay(session.id, "tok_hostedDeclined", pageSecret);
    expect(declined.status).toBe(200);
    expect(declined.json.status).toBe("open");
    expect(declined.json.error.type).toBe("card_error");
    expect(declined.json.error.message).toBeTruthy();
    const open = (await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json;
    expect(open).toMatchObject({ status: "open", payment_status: "unpaid" });
    expect(open.payment).toMatch(/^pay_/);
    const failed = (await call("GET", `/v1/payments/${open.payment}`, { key: secretKey })).json;
    expect(failed.status).toBe("failed");
    expect((await openPage(session.id)).html).toContain(declined.json.error.message);

    const paid = await pay(session.id, "tok_hostedSecondCard", pageSecret);
    expect(paid.status).toBe(200);
    expect(authorized).toEqual(["tok_hostedDeclined", "tok_hostedSecondCard"]);
    const done = (await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json;
    expect(done.payment).not.toBe(open.payment);
  });

  it("refuses a pay without the page's origin or secret (CSRF)", async () => {
    const { secretKey } = await newMerchant();
    const calls = approvingVault();
    const session = (await createSession(secretKey)).json;
    const { pageSecret } = await openPage(session.id);
    expect((await pay(session.id, "tok_hostedCsrf", pageSecret, null)).status).toBe(403);
    expect((await pay(session.id, "tok_hostedCsrf", pageSecret, "https://evil.example")).status).toBe(403);
    expect((await pay(session.id, "tok_hostedCsrf", "x".repeat(43))).status).toBe(404);
    expectError(await pay(session.id, "tok_hostedCsrf", "short"), 400, "invalid_request_error", "page_secret");
    expect(calls).toHaveLength(0);
  });
});

describe("checkout sessions: expiry", () => {
  it("expires on request: the page and its pay refuse (410), and a settled session cannot be expired again", async () => {
    const { id: merchantId, secretKey } = await newMerchant();
    const calls = approvingVault();
    const session = (await createSession(secretKey)).json;
    const { pageSecret } = await openPage(session.id);
    const expired = await call("POST", `/v1/checkout_sessions/${session.id}/expire`, { key: secretKey, body: {} });
    expect(expired.status).toBe(200);
    expect(expired.json).toMatchObject({ status: "expired", payment_status: "unpaid", url: null });
    expectError(await pay(session.id, "tok_hostedLate", pageSecret), 410, "invalid_request_error");
    const page = await openPage(session.id);
    expect(page.response.status).toBe(410);
    expect(page.html).toContain('data-state="expired"');
    expect(page.html).toContain(SESSION.cancel_url);
    expectError(
      await call("POST", `/v1/checkout_sessions/${session.id}/expire`, { key: secretKey, body: {} }),
      409,
      "invalid_request_error",
    );
    expect(calls).toHaveLength(0);

    const paidSession = (await createSession(secretKey)).json;
    const paidPage = await openPage(paidSession.id);
    expect((await pay(paidSession.id, "tok_hostedPaidFirst", paidPage.pageSecret)).status).toBe(200);
    expectError(
      await call("POST", `/v1/checkout_sessions/${paidSession.id}/expire`, { key: secretKey, body: {} }),
      409,
      "invalid_request_error",
    );

    await runDurableObjectAlarm(sessionObject(session.id));
    const events = await eventually(
      () =>
        sql<{ type: string }>("select type from events where merchant_id = $1 and object_id = $2", [
          merchantId,
          session.id,
        ]),
      (rows) => rows.length > 0,
    );
    expect(events.map((event) => event.type)).toEqual(["checkout.session.expired"]);
  });

  it("expires by its alarm once its time is up, and then refuses to pay", async () => {
    const { secretKey } = await newMerchant();
    approvingVault();
    const session = (await createSession(secretKey, { expires_in: 300 })).json;
    const { pageSecret } = await openPage(session.id);
    const stub = sessionObject(session.id);
    // Five minutes on: the stored deadline moved into the past, as the clock would.
    await runInDurableObject(stub, async (_instance, state) => {
      const stored = (await state.storage.get<CheckoutSessionRecord>("session")) as CheckoutSessionRecord;
      await state.storage.put("session", { ...stored, expires_at: Date.now() - 1 });
    });
    await runDurableObjectAlarm(stub);
    const after = (await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json;
    expect(after.status).toBe("expired");
    expectError(await pay(session.id, "tok_hostedTooLate", pageSecret), 410, "invalid_request_error");
  });
});

describe("checkout sessions: PayPal on the page", () => {
  it("accepts paypal with card, in the merchant's order without repeats, and offers each on the page", async () => {
    const { secretKey } = await newMerchant();
    const created = await createSession(secretKey, { payment_method_types: ["paypal", "card", "paypal"] });
    expect(created.status).toBe(200);
    expect(created.json.payment_method_types).toEqual(["paypal", "card"]);
    const both = await openPage(created.json.id);
    expect(both.html).toContain('id="pay-paypal"');
    expect(both.html).toContain('id="pay-form"');
    expect(both.html).toContain(`${new URL(env.VAULT_URL).origin}/pay.js`);

    const only = (await createSession(secretKey, { payment_method_types: ["paypal"], currency: "eur" })).json;
    expect(only.payment_method_types).toEqual(["paypal"]);
    const page = await openPage(only.id);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("Pay with PayPal");
    // No card offered: no card frame, and no vault script loaded for one.
    expect(page.html).not.toContain('id="pay-form"');
    expect(page.html).not.toContain("pay.js");
    expect(page.publishableKey).toBe("");

    const card = (await createSession(secretKey)).json;
    expect(card.payment_method_types).toEqual(["card"]);
    expect((await openPage(card.id)).html).not.toContain('id="pay-paypal"');
  });

  it("refuses a PayPal pay the session does not offer, without a token, or from another origin", async () => {
    const { secretKey } = await newMerchant();
    const card = (await createSession(secretKey)).json;
    const { pageSecret } = await openPage(card.id);
    const paypalPay = (id: string, body: Record<string, unknown>, origin = BASE) =>
      call("POST", `/checkout/${id}/pay`, { body, headers: { Origin: origin } });
    expectError(
      await paypalPay(card.id, { method: "paypal", page_secret: pageSecret }),
      400,
      "invalid_request_error",
      "method",
    );
    expectError(
      await paypalPay(card.id, { method: "card", page_secret: pageSecret }),
      400,
      "invalid_request_error",
      "token",
    );
    const paypal = (await createSession(secretKey, { payment_method_types: ["paypal"] })).json;
    const secret = (await openPage(paypal.id)).pageSecret;
    expectError(
      await paypalPay(paypal.id, { method: "paypal", token: "tok_stray", page_secret: secret }),
      400,
      "invalid_request_error",
      "token",
    );
    expectError(
      await paypalPay(paypal.id, { method: "upi", vpa: "success@upi", page_secret: secret }),
      400,
      "invalid_request_error",
      "method",
    );
    expectError(
      await paypalPay(paypal.id, { method: "bitcoin", page_secret: secret }),
      400,
      "invalid_request_error",
      "method",
    );
    expect((await paypalPay(paypal.id, { method: "paypal", page_secret: secret }, "https://evil.example")).status).toBe(
      403,
    );
    const after = (await call("GET", `/v1/checkout_sessions/${paypal.id}`, { key: secretKey })).json;
    expect(after).toMatchObject({ status: "open", payment_status: "unpaid", payment: null });
  });

  it("answers PayPal with the create's own refusal when this mode has no wallet, the session still open", async () => {
    // This tier configures no wallet (WALLET_* unset), as a deployment without PayPal credentials.
    const { secretKey } = await newMerchant();
    const session = (await createSession(secretKey, { payment_method_types: ["card", "paypal"] })).json;
    const { pageSecret } = await openPage(session.id);
    const refused = await call("POST", `/checkout/${session.id}/pay`, {
      body: { method: "paypal", page_secret: pageSecret },
      headers: { Origin: BASE },
    });
    expectError(refused, 400, "invalid_request_error", "payment_method[type]");
    expect(refused.json.error.code).toBe("payment_method_unavailable");
    const after = (await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json;
    expect(after).toMatchObject({ status: "open", payment_status: "unpaid", payment: null });
  });

  it("sends a return from the wallet back to the page unless the session's own payment is paid", async () => {
    const { secretKey } = await newMerchant();
    const session = (await createSession(secretKey, { payment_method_types: ["paypal"] })).json;
    // What the browser claims is not believed: a forged "succeeded" with no payment of the session.
    const forged = await SELF.fetch(
      `${BASE}/checkout/${session.id}/return?payment_id=pay_${"a".repeat(64)}&redirect_status=succeeded`,
      { redirect: "manual" },
    );
    expect(forged.status).toBe(303);
    expect(forged.headers.get("Location")).toBe(`/checkout/${session.id}`);
    expect((await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json.status).toBe("open");

    const unknown = await SELF.fetch(`${BASE}/checkout/cs_${"0".repeat(64)}/return`, { redirect: "manual" });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("not valid");
  });
});

describe("checkout sessions: UPI on the page", () => {
  it("accepts upi in inr only, offers a labelled UPI ID field, and checks the VPA as a payment would", async () => {
    const { secretKey } = await newMerchant();
    expectError(
      await createSession(secretKey, { payment_method_types: ["upi"], currency: "usd" }),
      400,
      "invalid_request_error",
      "payment_method_types",
    );
    const session = (await createSession(secretKey, { payment_method_types: ["upi", "card"], currency: "inr" })).json;
    expect(session.payment_method_types).toEqual(["upi", "card"]);
    const page = await openPage(session.id);
    expect(page.html).toContain('<label for="vpa">UPI ID</label>');
    expect(page.html).toContain('id="pay-upi"');
    const upiPay = (body: Record<string, unknown>) =>
      call("POST", `/checkout/${session.id}/pay`, {
        body: { page_secret: page.pageSecret, ...body },
        headers: { Origin: BASE },
      });
    expectError(await upiPay({ method: "upi" }), 400, "invalid_request_error", "vpa");
    expectError(await upiPay({ method: "upi", vpa: "not a vpa" }), 400, "invalid_request_error", "vpa");
    expectError(await upiPay({ method: "upi", vpa: "4242424242424242@upi" }), 400, "invalid_request_error", "vpa");
    expectError(await upiPay({ method: "card", token: "tok_x1", vpa: "a@upi" }), 400, "invalid_request_error", "vpa");
    // This tier configures no UPI switch: the create's own refusal, and nothing is paid.
    const refused = await upiPay({ method: "upi", vpa: "success@upi" });
    expectError(refused, 400, "invalid_request_error", "payment_method[type]");
    expect(refused.json.error.code).toBe("payment_method_unavailable");
    const after = (await call("GET", `/v1/checkout_sessions/${session.id}`, { key: secretKey })).json;
    expect(after).toMatchObject({ status: "open", payment_status: "unpaid", payment: null });
  });

  it("answers the page's status: open and not waiting, expired once expired, 404 for an unknown link", async () => {
    const { secretKey } = await newMerchant();
    const session = (await createSession(secretKey, { payment_method_types: ["upi"], currency: "inr" })).json;
    const status = async (id: string) => {
      const response = await SELF.fetch(`${BASE}/checkout/${id}/status`);
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    expect(await status(session.id)).toEqual({ status: 200, json: { status: "open", waiting: false, error: null } });
    await call("POST", `/v1/checkout_sessions/${session.id}/expire`, { key: secretKey, body: {} });
    expect(await status(session.id)).toEqual({ status: 200, json: { status: "expired" } });
    expect((await status(`cs_${"0".repeat(64)}`)).status).toBe(404);
  });
});
