import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../workers/app.js";
import { BASE, call, expectError, newMerchant } from "./support/api.js";

afterEach(() => vi.restoreAllMocks());

describe("errors", () => {
  it("answers unknown routes with a JSON 404 and a Request-Id", async () => {
    const response = await call("GET", "/v1/nothing-here");
    expectError(response, 404, "invalid_request_error");
    expect(response.json.error.code).toBe("route_not_found");
    expect(response.headers.get("Request-Id")).toMatch(/^req_[0-9A-Za-z]{24}$/);
  });

  it("puts a Request-Id on successful responses too", async () => {
    const response = await SELF.fetch(`${BASE}/health`);
    expect(response.headers.get("Request-Id")).toMatch(/^req_/);
  });

  it("answers a bug with a generic 500 that leaks nothing, and logs the cause", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = { ...env, OAUTH_SIGNING_KEYS: "{ this is not json" };
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const response = await app.request("/.well-known/jwks.json", {}, broken, ctx);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: Record<string, string> };
    expect(body.error).toMatchObject({ type: "api_error", code: "internal_error" });
    expect(JSON.stringify(body)).not.toMatch(/JSON|position|SyntaxError|stack|signing/i);
    expect(logged.mock.calls.flat().join("\n")).toContain("SyntaxError");
  });

  it("answers 503 api_error when Postgres cannot be reached", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { secretKey } = await newMerchant();
    const unreachable = { ...env, HYPERDRIVE: { connectionString: "postgres://nobody:x@127.0.0.1:1/none" } };
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const { apiKeyCache } = await import("../../workers/api-keys/api-key-cache.js");
    apiKeyCache.clear();
    const response = await app.request(
      "/v1/merchant",
      { headers: { Authorization: `Bearer ${secretKey}` } },
      unreachable,
      ctx,
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: Record<string, string> }).error.type).toBe("api_error");
  });
});

describe("request logs", () => {
  it("write one JSON line per request with method, path, status, latency, merchant and request id", async () => {
    const { id, secretKey } = await newMerchant();
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const response = await call("GET", "/v1/merchant", { key: secretKey });
    const entry = lines
      .map((line) => JSON.parse(line))
      .find((parsed) => parsed.request_id === response.headers.get("Request-Id"));
    expect(entry).toMatchObject({
      message: "request",
      method: "GET",
      path: "/v1/merchant",
      status: 200,
      merchant_id: id,
    });
    expect(entry.latency_ms).toBeTypeOf("number");
  });

  it("never contain a key, a token or a card number, wherever the client put it", async () => {
    const { secretKey } = await newMerchant();
    const lines: string[] = [];
    const capture = (line: string) => void lines.push(line);
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);
    vi.spyOn(console, "error").mockImplementation(capture);
    await call("GET", `/v1/${secretKey}/4242424242424242?key=${secretKey}`, { key: secretKey });
    await call("PATCH", "/v1/merchant", { key: secretKey, body: { name: 4242424242424242, note: secretKey } });
    await call("GET", "/v1/merchant", { key: `${secretKey.slice(0, -1)}Z` });
    const text = lines.join("\n");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain(secretKey.slice(8));
    expect(text).not.toContain("4242424242424242");
  });
});
