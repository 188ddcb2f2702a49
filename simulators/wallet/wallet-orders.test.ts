import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minorUnits, paypalValue } from "../../workers/connectors/wallet/wallet-money.js";
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from "./config.js";
import { PAYPAL_CURRENCIES, toMinor, toMoney } from "./money.js";
import { AccessTokens } from "./oauth.js";
import { PayPalFailure } from "./paypal-error.js";
import { WalletKit } from "./test-kit.js";

/** OAuth, order creation and reading, and the 400s and 422s a create can meet. */
let kit: WalletKit;
beforeAll(async () => {
  kit = await WalletKit.start();
});
afterAll(async () => {
  await kit?.stop();
});

const tokenRequest = (authorization: string, body = "grant_type=client_credentials") =>
  fetch(`${kit.sim.url}/v1/oauth2/token`, {
    method: "POST",
    headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;

describe("OAuth 2.0 client credentials", () => {
  it("gives a bearer token to the app's client id and secret", async () => {
    const response = await tokenRequest(basic(DEV_CLIENT_ID, DEV_CLIENT_SECRET));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      access_token: expect.stringMatching(/^A21AA[A-Za-z0-9_-]{64}$/),
      token_type: "Bearer",
      expires_in: 32_400,
      app_id: expect.stringMatching(/^APP-/),
      scope: expect.stringContaining("https://uri.paypal.com/services/payments/payment/authcapture"),
    });
  });

  it("refuses another secret (401 invalid_client) and another grant (400 unsupported_grant_type)", async () => {
    const wrong = await tokenRequest(basic(DEV_CLIENT_ID, "not-the-secret"));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "invalid_client", error_description: "Client Authentication failed" });
    const grant = await tokenRequest(basic(DEV_CLIENT_ID, DEV_CLIENT_SECRET), "grant_type=password");
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("answers 401 AUTHENTICATION_FAILURE to a call without a token or with a forged one", async () => {
    for (const authorization of [undefined, "Bearer A21AAforged", `Bearer ${(await kit.token()).slice(0, -2)}xx`]) {
      const response = await fetch(`${kit.sim.url}/v2/checkout/orders/5O190127TN364715T`, {
        headers: authorization ? { Authorization: authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ name: "AUTHENTICATION_FAILURE" });
    }
  });

  it("lets tokens expire", () => {
    const tokens = new AccessTokens(DEV_CLIENT_ID, DEV_CLIENT_SECRET, 60);
    const { token } = tokens.issue();
    expect(tokens.check(token)).toBe("valid");
    expect(tokens.check(token, Date.now() + 61_000)).toBe("expired");
    expect(new AccessTokens(DEV_CLIENT_ID, "another-secret", 60).check(token)).toBe("invalid");
  });
});

describe("creating an order", () => {
  it("with a payment_source: PAYER_ACTION_REQUIRED behind a payer-action link, minimal by default", async () => {
    const created = await kit.api("POST", "/v2/checkout/orders", kit.orderBody());
    expect(created.status).toBe(201);
    expect(created.headers.get("paypal-debug-id")).toMatch(/^[0-9a-f]{13}$/);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{17}$/),
      status: "PAYER_ACTION_REQUIRED",
      payment_source: { paypal: {} },
      links: [
        { href: `${kit.sim.url}/v2/checkout/orders/${created.body.id}`, rel: "self", method: "GET" },
        { href: `${kit.sim.url}/checkoutnow?token=${created.body.id}`, rel: "payer-action", method: "GET" },
      ],
    });
  });

  it("without one: CREATED behind an approve link; the whole order with Prefer: return=representation", async () => {
    const created = await kit.api("POST", "/v2/checkout/orders", kit.orderBody({ paymentSource: false, value: "10" }), {
      Prefer: "return=representation",
    });
    expect(created.body).toMatchObject({
      intent: "CAPTURE",
      status: "CREATED",
      purchase_units: [
        { reference_id: "pay_test", custom_id: "pay_test", amount: { currency_code: "USD", value: "10.00" } },
      ],
      links: [{ rel: "self" }, { rel: "approve", href: `${kit.sim.url}/checkoutnow?token=${created.body.id}` }],
    });
    const read = await kit.api("GET", `/v2/checkout/orders/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it("renders amounts in PayPal's decimals, and books ISO 4217 minor units (HUF 150 is 15000)", async () => {
    const cases: [currency: string, sent: string, minor: number, shown: string][] = [
      ["JPY", "1500", 1500, "1500"],
      ["HUF", "150", 15_000, "150"],
      ["TWD", "30", 3_000, "30"],
      ["INR", "499.5", 49_950, "499.50"],
    ];
    for (const [currency, value, minor, shown] of cases) {
      const id = await kit.createOrder({ currency, value });
      expect(await kit.admin(`/orders/${id}`)).toMatchObject({ currency, amount_minor: minor });
      expect((await kit.admin("/ledger")).entries).toContainEqual(
        expect.objectContaining({ order_id: id, amount_minor: minor }),
      );
      const read = (await kit.api("GET", `/v2/checkout/orders/${id}`)).body;
      expect(read.purchase_units[0].amount).toEqual({ currency_code: currency, value: shown });
    }
  });

  it("counts minor units as the gateway's wallet-money.ts does, for every currency PayPal takes", () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof PayPalFailure) return error.details[0]?.issue;
        throw error;
      }
      return null;
    };
    for (const currency of PAYPAL_CURRENCIES) {
      for (const minor of [1, 5, 100, 15_000, 49_950, 150_050]) {
        const value = paypalValue(minor, currency);
        if (value === null) {
          // A fraction of a whole-unit currency: the gateway sends nothing; PayPal would refuse it.
          const decimal = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
          expect(refusal(() => toMinor({ currency_code: currency, value: decimal }, "/amount"))).toBe(
            "DECIMALS_NOT_SUPPORTED",
          );
          continue;
        }
        expect(toMinor({ currency_code: currency, value }, "/amount")).toBe(minor);
        expect(toMoney(minor, currency)).toEqual({ currency_code: currency, value });
        expect(minorUnits(value, currency)).toBe(minor);
      }
    }
  });

  it("answers 400 INVALID_REQUEST naming the field for a body that breaks the schema", async () => {
    const { intent: _, ...noIntent } = kit.orderBody();
    const missing = await kit.api("POST", "/v2/checkout/orders", noIntent);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      name: "INVALID_REQUEST",
      details: [{ field: "/intent", location: "body", issue: "MISSING_REQUIRED_PARAMETER" }],
      debug_id: expect.any(String),
    });
    const body = kit.orderBody();
    const two = await kit.api("POST", "/v2/checkout/orders", {
      ...body,
      purchase_units: [...body.purchase_units, ...body.purchase_units],
    });
    expect(two.body.details[0]).toMatchObject({ field: "/purchase_units", issue: "INVALID_ARRAY_MAX_ITEMS" });
    const ftp = {
      ...kit.orderBody(),
      payment_source: { paypal: { experience_context: { return_url: "ftp://shop.example/return" } } },
    };
    expect((await kit.api("POST", "/v2/checkout/orders", ftp)).body.details[0]).toMatchObject({
      field: "/payment_source/paypal/experience_context/return_url",
    });
    const malformed = await kit.api("POST", "/v2/checkout/orders", "{not json");
    expect(malformed.body.details).toEqual([expect.objectContaining({ issue: "MALFORMED_REQUEST_JSON" })]);
  });

  it("answers 422 UNPROCESSABLE_ENTITY for amounts PayPal refuses", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ value: "4.999" }, "DECIMAL_PRECISION"],
      [{ value: "0.00" }, "CANNOT_BE_ZERO_OR_NEGATIVE"],
      [{ currency: "JPY", value: "10.50" }, "DECIMALS_NOT_SUPPORTED"],
      [{ currency: "JPY", value: "1500.00" }, "DECIMALS_NOT_SUPPORTED"],
      [{ currency: "HUF", value: "150.50" }, "DECIMALS_NOT_SUPPORTED"],
      [{ currency: "HUF", value: "150.00" }, "DECIMALS_NOT_SUPPORTED"],
      [{ currency: "TWD", value: "10.5" }, "DECIMALS_NOT_SUPPORTED"],
      [{ currency: "KWD", value: "1.00" }, "INVALID_CURRENCY_CODE"],
    ];
    for (const [options, issue] of cases) {
      const answer = await kit.api("POST", "/v2/checkout/orders", kit.orderBody(options));
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ name: "UNPROCESSABLE_ENTITY", details: [{ issue }] });
    }
    expect((await kit.api("POST", "/v2/checkout/orders", kit.orderBody({ value: "4,99" }))).status).toBe(400);
  });

  it("answers 404 RESOURCE_NOT_FOUND for an order it does not have", async () => {
    const answer = await kit.api("GET", "/v2/checkout/orders/5O190127TN364715T");
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ name: "RESOURCE_NOT_FOUND", details: [{ issue: "INVALID_RESOURCE_ID" }] });
  });
});

describe("PayPal-Request-Id", () => {
  it("answers a repeated create with the same order, 200, whatever the second body says", async () => {
    const headers = { "PayPal-Request-Id": `create-${Date.now()}` };
    const first = await kit.api("POST", "/v2/checkout/orders", kit.orderBody(), headers);
    const again = await kit.api("POST", "/v2/checkout/orders", kit.orderBody(), headers);
    const other = await kit.api("POST", "/v2/checkout/orders", kit.orderBody({ value: "1.00" }), headers);
    expect(first.status).toBe(201);
    expect([again.status, other.status]).toEqual([200, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect(other.body).toMatchObject({ id: first.body.id, purchase_units: [{ amount: { value: "499.00" } }] });
  });

  it("keeps nothing for a request that failed: the same id may be retried", async () => {
    const headers = { "PayPal-Request-Id": `retry-${Date.now()}` };
    const failed = await kit.api("POST", "/v2/checkout/orders", kit.orderBody({ value: "0" }), headers);
    expect(failed.status).toBe(422);
    expect((await kit.api("POST", "/v2/checkout/orders", kit.orderBody(), headers)).status).toBe(201);
  });

  it("refuses an id longer than 108 characters", async () => {
    const answer = await kit.api("POST", "/v2/checkout/orders", kit.orderBody(), {
      "PayPal-Request-Id": "x".repeat(109),
    });
    expect(answer.body.details[0]).toMatchObject({ field: "PayPal-Request-Id", location: "header" });
  });
});
