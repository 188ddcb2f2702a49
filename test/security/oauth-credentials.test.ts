import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE } from "../edge/support/api.js";

/** Issue 12, item 11: hostile client credentials at the token endpoint are a 401, never a 500. */
describe("the token endpoint under hostile credentials", () => {
  it.each([
    ["a malformed %-escape", "opc_x%:secret%zz"],
    ["a lone %", "%:%"],
  ])("answers invalid_client to %s in HTTP Basic", async (_what, credentials) => {
    const response = await SELF.fetch(`${BASE}/oauth/token`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${btoa(credentials)}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
  });
});
