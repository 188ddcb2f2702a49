import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findSecrets } from "../../test/support/secret-scan.js";
import { query } from "../../test/support/sql-client.js";
import { startVaultHarness, type TestMerchant, type VaultHarness } from "../../test/support/vault-harness.js";
import { detokenize } from "./detokenize.js";

/** Card reads made by the test itself, logged like any other. */
const TEST_ACCESS = {
  paymentId: "pay_test",
  operationId: "op_test_1",
  accessor: "test",
  purpose: "authorize",
} as const;

/**
 * `POST /v1/tokens` over HTTP (Hono's `app.request`) against a real migrated Postgres, like a
 * merchant's checkout would call it. Every PAN sent is remembered; at the end no table and no log
 * line may hold one, and no log line may hold a CVC.
 */
const SHOP = "https://shop.example";
const OTHER_SHOP = "https://other.example";
const CVC = "739";

let vault: VaultHarness;
let shop: TestMerchant;
let other: TestMerchant;
const panSent = new Set<string>();
const logLines: string[] = [];

const card = (overrides: Record<string, unknown> = {}) => {
  const value = { number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: CVC, ...overrides };
  if (typeof value.number === "string") panSent.add(value.number.replace(/[\s-]/g, ""));
  return value;
};
const json = async (response: Response) => (await response.json()) as Record<string, any>;

beforeAll(async () => {
  for (const method of ["log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logLines.push(args.join(" ")));
  }
  vault = await startVaultHarness();
  shop = await vault.createMerchant([SHOP]);
  other = await vault.createMerchant([OTHER_SHOP]);
});

afterAll(async () => {
  await vault?.stop();
  vi.restoreAllMocks();
});

describe("POST /v1/tokens", () => {
  it("tokenizes 4242 4242 4242 4242 with the publishable key: a tok_ with last4, brand, funding and country", async () => {
    const response = await vault.tokenize(shop.publishableKey, card({ number: "4242 4242 4242 4242", name: "Jane" }));
    expect(response.status).toBe(201);
    expect(response.headers.get("Request-Id")).toMatch(/^req_/);
    const token = await json(response);
    expect(token).toMatchObject({
      object: "token",
      livemode: false,
      card: { last4: "4242", brand: "visa", exp_month: 12, exp_year: 2030, funding: "credit", country: "US" },
    });
    expect(token.id).toMatch(/^tok_[0-9A-Za-z]{24}$/);
    expect(token.card.fingerprint).toMatch(/^fp_[0-9a-f]{32}$/);
    expect(token.created).toBeCloseTo(Date.now() / 1000, -1);
    expect(JSON.stringify(token)).not.toContain("4242424242424242");

    const [row] = await query(vault.database.url, "select * from card_tokens where token = $1", [token.id]);
    expect(row).toMatchObject({
      merchant_id: shop.id,
      last_four: "4242",
      brand: "visa",
      exp_month: 12,
      exp_year: 2030,
      funding: "credit",
      country: "US",
      fingerprint: token.card.fingerprint,
      vault_reference: token.id,
    });
    const [sealed] = await query(
      vault.database.url,
      "select kek_version, fingerprint from vault_cards where token = $1",
      [token.id],
    );
    expect(sealed).toEqual({ kek_version: "v1", fingerprint: token.card.fingerprint });
  });

  it("keeps the card for the connector and the CVC for one authorization only", async () => {
    const token = await json(await vault.tokenize(shop.publishableKey, card({ name: "Jane Doe" })));
    expect(
      await detokenize(vault.deps, { token: token.id, merchantId: shop.id, livemode: false }, TEST_ACCESS),
    ).toEqual({
      number: "4242424242424242",
      expMonth: 12,
      expYear: 2030,
      name: "Jane Doe",
    });
    expect(
      await detokenize(vault.deps, { token: token.id, merchantId: other.id, livemode: false }, TEST_ACCESS),
    ).toBeUndefined();
    expect(vault.deps.cvcs.take(token.id)?.toString()).toBe(CVC);
    expect(vault.deps.cvcs.take(token.id)).toBeUndefined();
  });

  it("writes concurrent tokenizations together, and each caller gets its own committed token", async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => vault.tokenize(shop.publishableKey, card())));
    expect(responses.map((response) => response.status)).toEqual(Array(40).fill(201));
    const ids = await Promise.all(responses.map(async (response) => (await json(response)).id as string));
    expect(new Set(ids).size).toBe(40);
    const stored = await query<{ tokens: string; cards: string }>(
      vault.database.url,
      `select (select count(*) from card_tokens where token = any($1)) as tokens,
              (select count(*) from vault_cards where token = any($1)) as cards`,
      [ids],
    );
    expect(stored[0]).toEqual({ tokens: "40", cards: "40" });
  });

  it("accepts the key as the HTTP Basic user name too", async () => {
    const response = await vault.app.request("/v1/tokens", {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from(`${shop.publishableKey}:`).toString("base64")}` },
      body: JSON.stringify({ card: card({ number: "5555555555554444", exp_month: "07", exp_year: "31" }) }),
    });
    expect(response.status).toBe(201);
    expect((await json(response)).card).toMatchObject({ brand: "mastercard", exp_month: 7, exp_year: 2031 });
  });

  it("gives the same card the same fingerprint within a merchant, and a different one at another merchant", async () => {
    const first = await json(await vault.tokenize(shop.publishableKey, card({ number: "4000056655665556" })));
    const second = await json(await vault.tokenize(shop.publishableKey, card({ number: "4000056655665556" })));
    const elsewhere = await json(await vault.tokenize(other.publishableKey, card({ number: "4000056655665556" })));
    expect(first.card).toMatchObject({ brand: "visa", funding: "debit" });
    expect(second.id).not.toBe(first.id);
    expect(second.card.fingerprint).toBe(first.card.fingerprint);
    expect(elsewhere.card.fingerprint).not.toBe(first.card.fingerprint);
  });

  it("takes a 4-digit security code for American Express and refuses a 3-digit one", async () => {
    const amex = await vault.tokenize(shop.publishableKey, card({ number: "378282246310005", cvc: "1234" }));
    expect(amex.status).toBe(201);
    expect((await json(amex)).card).toMatchObject({ brand: "amex", last4: "0005" });
    const short = await json(await vault.tokenize(shop.publishableKey, card({ number: "378282246310005" })));
    expect(short.error).toMatchObject({ type: "card_error", code: "invalid_cvc", param: "card[cvc]" });
  });

  it("makes a token in its publishable key's mode, the one it pays in", async () => {
    const liveKey = await vault.createPublishableKey(shop.id, { livemode: true });
    for (const [key, livemode] of [
      [liveKey, true],
      [shop.publishableKey, false],
    ] as const) {
      const token = await json(await vault.tokenize(key, card()));
      expect(token.livemode).toBe(livemode);
      const [row] = await query(vault.database.url, "select livemode from card_tokens where token = $1", [token.id]);
      expect(row).toEqual({ livemode });
    }
  });
});

describe("POST /v1/tokens refuses", () => {
  it("a secret key, with 401 authentication_error", async () => {
    const response = await vault.tokenize(shop.secretKey, card());
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect((await json(response)).error).toMatchObject({
      type: "authentication_error",
      code: "secret_key_not_allowed",
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it("a request without a key, or with a key it does not know", async () => {
    const missing = await vault.tokenize(undefined, card());
    expect(missing.status).toBe(401);
    expect((await json(missing)).error).toMatchObject({ type: "authentication_error", code: "api_key_missing" });
    const unknown = await vault.tokenize(`pk_test_${"0".repeat(32)}`, card());
    expect(unknown.status).toBe(401);
    expect((await json(unknown)).error.code).toBe("api_key_invalid");
  });

  it("a publishable key used from outside its IP allowlist, with the edge's 403, by the socket's address", async () => {
    const pinned = await vault.createPublishableKey(shop.id, { allowedIps: ["198.51.100.0/24", "2001:db8::/32"] });
    for (const inside of ["198.51.100.7", "::ffff:198.51.100.7", "2001:db8::5"]) {
      expect((await vault.tokenize(pinned, card(), {}, inside)).status, inside).toBe(201);
    }
    // A header a client can write never counts; an unknown address is outside any allowlist.
    for (const outside of ["203.0.113.9", "2001:db9::5", undefined]) {
      const response = await vault.tokenize(pinned, card(), { "X-Forwarded-For": "198.51.100.7" }, outside);
      expect(response.status, outside).toBe(403);
      expect((await json(response)).error).toMatchObject({
        type: "authentication_error",
        code: "ip_not_allowed",
        message: "This API key may not be used from your IP address.",
      });
    }
    expect((await vault.tokenize(shop.publishableKey, card(), {}, "203.0.113.9")).status).toBe(201);
  });

  it("a revoked publishable key", async () => {
    const revoked = await vault.createMerchant();
    await query(vault.database.url, "update api_keys set revoked_at = now() where merchant_id = $1", [revoked.id]);
    const response = await vault.tokenize(revoked.publishableKey, card());
    expect(response.status).toBe(401);
    expect((await json(response)).error.code).toBe("api_key_expired");
  });

  it("an expired card with 400, naming the year when it is past", async () => {
    const response = await vault.tokenize(shop.publishableKey, card({ exp_month: 12, exp_year: 2020 }));
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({
      type: "card_error",
      code: "expired_card",
      param: "card[exp_year]",
      message: "Your card has expired.",
    });
  });

  it("a number with a bad check digit with 400 naming card[number], without repeating it", async () => {
    const response = await vault.tokenize(shop.publishableKey, card({ number: "4242424242424241" }));
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error).toMatchObject({ type: "card_error", code: "invalid_number", param: "card[number]" });
    expect(JSON.stringify(body)).not.toContain("424242");
  });

  it("malformed bodies, naming the parameter in bracket notation", async () => {
    const unknown = await json(await vault.tokenize(shop.publishableKey, { ...card(), cvv: "123" }));
    expect(unknown.error).toMatchObject({ code: "parameter_unknown", param: "card[cvv]" });
    const missing = await json(await vault.tokenize(shop.publishableKey, { exp_month: 1, exp_year: 2030, cvc: CVC }));
    expect(missing.error).toMatchObject({ code: "parameter_missing", param: "card[number]" });
    const month = await json(await vault.tokenize(shop.publishableKey, card({ exp_month: 13 })));
    expect(month.error).toMatchObject({
      type: "invalid_request_error",
      code: "parameter_invalid",
      param: "card[exp_month]",
    });
    const notJson = await vault.app.request("/v1/tokens", {
      method: "POST",
      headers: { Authorization: `Bearer ${shop.publishableKey}` },
      body: "{card:",
    });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error.code).toBe("body_not_json");
  });
});

describe("CORS on /v1/tokens", () => {
  const preflight = (origin: string) =>
    vault.app.request("/v1/tokens", {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });

  it("answers a preflight from an origin a merchant registered", async () => {
    const response = await preflight(SHOP);
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(SHOP);
    expect(response.headers.get("Access-Control-Allow-Methods")).toBe("POST");
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  it("gives a preflight from any other origin no CORS headers", async () => {
    const response = await preflight("https://evil.example");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(response.headers.get("Access-Control-Allow-Methods")).toBeNull();
  });

  it("lets the merchant's own page read the token", async () => {
    const response = await vault.tokenize(shop.publishableKey, card(), { Origin: SHOP });
    expect(response.status).toBe(201);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(SHOP);
    expect(response.headers.get("Vary")).toContain("Origin");
  });

  it("lets the merchant's own page read a card error, to show the cardholder", async () => {
    const response = await vault.tokenize(shop.publishableKey, card({ number: "4242424242424241" }), { Origin: SHOP });
    expect(response.status).toBe(400);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(SHOP);
    expect(response.headers.get("Access-Control-Expose-Headers")).toBe("Request-Id");
  });

  it("refuses, before storing anything, a page on an origin this merchant did not register", async () => {
    const before = await query(vault.database.url, "select count(*)::int as n from card_tokens");
    for (const origin of [OTHER_SHOP, "https://evil.example", "null"]) {
      const response = await vault.tokenize(shop.publishableKey, card(), { Origin: origin });
      expect(response.status).toBe(403);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    }
    expect(await query(vault.database.url, "select count(*)::int as n from card_tokens")).toEqual(before);
  });
});

describe("the vault service", () => {
  it("keeps /health, and answers unknown routes with a JSON 404", async () => {
    expect((await vault.app.request("/health")).status).toBe(200);
    const missing = await vault.app.request("/v1/cards/4242424242424242");
    expect(missing.status).toBe(404);
    const body = await json(missing);
    expect(body.error).toMatchObject({ code: "route_not_found", request_id: expect.stringMatching(/^req_/) });
    expect(JSON.stringify(body)).not.toContain("4242424242424242");
  });

  it("leaves no card number in any Postgres table", async () => {
    expect(panSent.size).toBeGreaterThanOrEqual(5);
    const tables = await query<{ table_name: string }>(
      vault.database.url,
      "select table_name from information_schema.tables where table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["card_tokens", "vault_cards"]));
    for (const { table_name } of tables) {
      const rows = await query<{ row: string }>(
        vault.database.url,
        `select row_to_json(t)::text as row from "${table_name}" t`,
      );
      for (const { row } of rows) {
        for (const pan of panSent) expect(row, table_name).not.toContain(pan);
        expect(findSecrets(row), table_name).toEqual([]);
      }
    }
  });

  it("never logs a card number or a security code", () => {
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) {
      for (const pan of panSent) expect(line).not.toContain(pan);
      expect(findSecrets(line)).toEqual([]);
      // Not a bare /cvc/i: random base62 ids contain "cVc" now and then.
      expect(line).not.toMatch(/"cvc"\s*:/i);
      expect(line).not.toContain(`"${CVC}"`);
    }
  });
});
