import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, call, expectError, newMerchant } from "./support/api.js";

describe("gateway hardening", () => {
  it("refuses a body over 256 KiB with 413, before any route reads it", async () => {
    const { secretKey } = await newMerchant();
    const big = JSON.stringify({ amount: 100, currency: "usd", description: "x".repeat(300 * 1024) });
    expectError(
      await call("POST", "/v1/payments", {
        key: secretKey,
        rawBody: big,
        headers: { "Content-Type": "application/json" },
      }),
      413,
      "invalid_request_error",
    );
  });

  it("accepts only JSON bodies (415 naming Content-Type), except the form-encoded token endpoint", async () => {
    const { secretKey } = await newMerchant();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      expectError(
        await call("POST", "/v1/webhook_endpoints", {
          key: secretKey,
          rawBody: "url=x",
          headers: { "Content-Type": type },
        }),
        415,
        "invalid_request_error",
        "Content-Type",
      );
    }
    const charset = await call("POST", "/v1/webhook_endpoints", {
      key: secretKey,
      rawBody: JSON.stringify({ url: "http://127.0.0.1:9/x", enabled_events: ["*"] }),
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
    expect(charset.status).toBe(201);
    const capture = await call("POST", `/v1/payments/pay_${"0".repeat(64)}/capture`, { key: secretKey });
    expect(capture.status).toBe(404); // no body at all is fine: the route's own answer
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const { secretKey } = await newMerchant();
    const put = await call("PUT", "/v1/payments", { key: secretKey, body: {} });
    expectError(put, 405, "invalid_request_error");
    expect(put.headers.get("Allow")?.split(", ").sort()).toEqual(["GET", "HEAD", "POST"]);
    const health = await SELF.fetch(`${BASE}/health`, { method: "DELETE" });
    expect(health.status).toBe(405);
    expect(health.headers.get("Allow")).toBe("GET, HEAD");
    expectError(await call("GET", "/v1/nothing-here", { key: secretKey }), 404, "invalid_request_error");
  });

  it("sends security headers and no-store on every answer, and no CORS headers", async () => {
    for (const response of [
      await SELF.fetch(`${BASE}/health`, { headers: { Origin: "https://evil.example" } }),
      await SELF.fetch(`${BASE}/v1/merchant`, { headers: { Origin: "https://evil.example" } }),
      await SELF.fetch(`${BASE}/v1/payments`, {
        method: "OPTIONS",
        headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
      }),
    ]) {
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("X-Frame-Options")).toBe("DENY");
      expect(response.headers.get("Strict-Transport-Security")).toContain("max-age=63072000");
      expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
      await response.arrayBuffer();
    }
  });
});
