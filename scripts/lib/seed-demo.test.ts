import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "../../test/support/sql-client.js";
import { startTestPostgres, type TestPostgres } from "../../test/support/test-postgres.js";
import { type DemoCredentials, seedDemo } from "./seed-demo.js";

const PEPPER = "seed-demo-test-pepper-0123456789";
let postgres: TestPostgres;
let first: DemoCredentials;

beforeAll(async () => {
  postgres = await startTestPostgres();
  first = await seedDemo(postgres.url, PEPPER, {});
});

afterAll(async () => {
  await postgres?.stop();
});

describe("the demo merchant's seed", () => {
  it("issues a secret and a publishable key in each mode", () => {
    expect(first).toMatchObject({
      secret_key: expect.stringMatching(/^sk_test_/),
      publishable_key: expect.stringMatching(/^pk_test_/),
      live_secret_key: expect.stringMatching(/^sk_live_/),
      live_publishable_key: expect.stringMatching(/^pk_live_/),
    });
  });

  it("keeps the remembered keys of both modes on the next run", async () => {
    expect(await seedDemo(postgres.url, PEPPER, first)).toEqual(first);
  });

  it("does not take a remembered key of the wrong mode for a live key", async () => {
    const swapped = await seedDemo(postgres.url, PEPPER, {
      ...first,
      live_secret_key: first.secret_key,
      live_publishable_key: first.publishable_key,
    });
    expect(swapped.secret_key).toBe(first.secret_key);
    expect(swapped.live_secret_key).toMatch(/^sk_live_/);
    expect(swapped.live_publishable_key).toMatch(/^pk_live_/);
  });

  it("replaces a revoked live key", async () => {
    const current = await seedDemo(postgres.url, PEPPER, first);
    await query(postgres.url, "update api_keys set revoked_at = now() where livemode and type = 'secret'");
    const next = await seedDemo(postgres.url, PEPPER, current);
    expect(next.live_secret_key).toMatch(/^sk_live_/);
    expect(next.live_secret_key).not.toBe(current.live_secret_key);
    expect(next.live_publishable_key).toBe(current.live_publishable_key);
  });

  it("creates the demo dashboard logins (an admin and a read-only user), keeps them, and resets one that no longer signs in", async () => {
    expect(first).toMatchObject({
      dashboard_email: "demo@example.com",
      dashboard_readonly_email: "readonly@example.com",
    });
    const roles = await query<{ email: string; role: string }>(
      postgres.url,
      "select email, role from dashboard_users where merchant_id = $1 order by email",
      [first.merchant_id],
    );
    expect(roles).toEqual([
      { email: "demo@example.com", role: "admin" },
      { email: "readonly@example.com", role: "read_only" },
    ]);
    const again = await seedDemo(postgres.url, PEPPER, first);
    expect(again.dashboard_password).toBe(first.dashboard_password);
    const reset = await seedDemo(postgres.url, PEPPER, { ...again, dashboard_password: "not the password any more" });
    expect(reset.dashboard_password).not.toBe(first.dashboard_password);
    expect(reset.dashboard_readonly_password).toBe(first.dashboard_readonly_password);
  });
});
