import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashCredential } from "../../common/api-key-secret.js";
import worker from "../../workers/index.js";
import { BASE, call, expectError, newMerchant, opsToken } from "../edge/support/api.js";
import { sql } from "../edge/support/database.js";

/**
 * Issue 12, item 3: a limit that an attacker can switch off, or that only binds callers who
 * already hold a key, is no limit. These attacks go through the Worker's fetch handler like an
 * outsider's requests, each from its own client address (`CF-Connecting-IP`, which Cloudflare
 * sets), with bindings broken the way production breaks them where that is the attack.
 */
let serial = 0;
/** A client address of its own per use: strangers are counted per address, per isolate. */
const freshIp = () => `2001:db8:${(Date.now() % 0xffff).toString(16)}:${(++serial).toString(16)}::1`;

async function send(
  method: string,
  path: string,
  options: { ip: string; key?: string; body?: unknown; form?: string; basic?: string },
  on: Env = env,
) {
  const headers = new Headers({ "CF-Connecting-IP": options.ip });
  if (options.key) headers.set("Authorization", `Bearer ${options.key}`);
  if (options.basic) headers.set("Authorization", `Basic ${btoa(options.basic)}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("Content-Type", "application/json");
  }
  if (options.form !== undefined) {
    body = options.form;
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  const request = new Request(`${BASE}${path}`, { method, headers, body });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, on, ctx);
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

async function limitWrites(merchantId: string, limit: number, windowSeconds: number) {
  const answer = await call("PUT", `/v1/merchants/${merchantId}/rate_limits`, {
    bearer: await opsToken(),
    body: { limits: { writes: { limit, window_seconds: windowSeconds } } },
  });
  expect(answer.status).toBe(200);
}

const unknownKey = () => `sk_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 32)}`;
/** Postgres gone: any request that tried a query would answer 503 `database_unavailable`. */
const withoutPostgres = { ...env, HYPERDRIVE: { connectionString: "postgres://nobody:x@127.0.0.1:1/none" } } as Env;
/** The most failures an address may have had after `ms`: the allowance plus its refill. */
const allowance = (ms: number) => 20 + Math.ceil((ms / 1000) * 20) + 1;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("rate limits fail closed", () => {
  it("keep the merchant's configured rate when the limiter object throws, and say so once", async () => {
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { id, secretKey } = await newMerchant();
    await limitWrites(id, 5, 60);
    // A real Durable Object namespace whose objects have no `take`: every limiter call fails in
    // the runtime's RPC layer, as a call to an overloaded or broken object does.
    const broken = { ...env, RATE_LIMITER: env.PAYMENTS } as unknown as Env;
    const ip = freshIp();

    const answers = [];
    for (let i = 0; i < 8; i++)
      answers.push(await send("POST", "/v1/webhook_endpoints", { ip, key: secretKey, body: {} }, broken));
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
    expect(answers.map((answer) => answer.headers.get("RateLimit-Remaining"))).toEqual([
      "4",
      "3",
      "2",
      "1",
      "0",
      "0",
      "0",
      "0",
    ]);
    const refused = answers[7]!;
    expect(refused.json.error.type).toBe("rate_limit_error");
    expect(refused.headers.get("RateLimit-Limit")).toBe("5");
    // 5 per 60 s refills one request every 12 s.
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(12);
    const lines = warned.mock.calls.flat().filter((line) => String(line).includes("rate limiter unreachable"));
    expect(lines.length).toBeLessThanOrEqual(1); // once per isolate per minute, not per request
  });

  it("keep the rate without waiting out a limiter object that does not answer", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { id, secretKey } = await newMerchant();
    await limitWrites(id, 5, 60);
    // The merchant's real limiter object, stuck for 8 s (what an overloaded object looks like);
    // requests wait at most the 5 s the gateway gives a limiter, then count in the isolate.
    const limiter = env.RATE_LIMITER.getByName(`${id}/writes/0`);
    const stuck = runInDurableObject(limiter, (_object, state) =>
      state.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 8_000))),
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // the block has begun
    const ip = freshIp();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => send("POST", "/v1/webhook_endpoints", { ip, key: secretKey, body: {} })),
    );
    expect(Date.now() - started).toBeLessThan(7_000);
    expect(answers.filter((answer) => answer.status === 400)).toHaveLength(5);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(3);
    await stuck; // waits out the block before the next test
  });
});

describe("strangers are limited too", () => {
  it("answers an unknown key's flood from one address with 429, from one Postgres lookup", async () => {
    const ip = freshIp();
    const key = unknownKey();
    const first = await send("GET", "/v1/merchant", { ip, key });
    expectError(first, 401, "authentication_error");
    expect(first.json.error.code).toBe("api_key_invalid");

    // The other 99 with Postgres unreachable: one query among them would be a 503.
    const started = Date.now();
    const rest = [];
    for (let i = 0; i < 99; i++) rest.push(await send("GET", "/v1/merchant", { ip, key }, withoutPostgres));
    const elapsed = Date.now() - started;
    const statuses = [first, ...rest].map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(allowance(elapsed));
    const refused = rest.find((answer) => answer.status === 429);
    expect(refused).toBeDefined();
    expectError(refused!, 429, "rate_limit_error");
    expect(Number(refused!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  });

  it("refuses a revoked key again without asking Postgres", async () => {
    const { secretKey } = await newMerchant();
    const doomed = await call("POST", "/v1/api_keys", { key: secretKey, body: { type: "secret" } });
    expect((await call("POST", `/v1/api_keys/${doomed.json.id}/revoke`, { key: secretKey })).status).toBe(200);
    const ip = freshIp();
    for (const on of [env, withoutPostgres]) {
      const answer = await send("GET", "/v1/merchant", { ip, key: doomed.json.secret }, on);
      expectError(answer, 401, "authentication_error");
      expect(answer.json.error.code).toBe("api_key_expired");
    }
  });

  it("does not let a stranger's flood limit a merchant calling from another address", async () => {
    const { secretKey } = await newMerchant();
    const attacker = freshIp();
    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        send("GET", "/v1/merchant", { ip: attacker, key: i % 2 ? unknownKey() : "" }),
      ),
    );
    expect(flood.filter((answer) => answer.status === 429).length).toBeGreaterThan(0);
    expect(flood.filter((answer) => answer.status !== 401 && answer.status !== 429)).toEqual([]);
    const office = freshIp();
    for (let i = 0; i < 5; i++) {
      expect((await send("GET", "/v1/merchant", { ip: office, key: secretKey })).status).toBe(200);
    }
  });
});

describe("the token endpoint and the ops routes are limited", () => {
  it("answers bad client credentials from one address with 429 after its limit, not anyone else", async () => {
    const ip = freshIp();
    const form = "grant_type=client_credentials";
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => send("POST", "/oauth/token", { ip, form, basic: "opc_nobody:guess" })),
    );
    const elapsed = Date.now() - started;
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    const failed = answers.filter((answer) => answer.status === 401);
    expect(failed.length).toBeGreaterThanOrEqual(20);
    expect(failed.length).toBeLessThanOrEqual(allowance(elapsed));
    expect(failed[0]!.json.error).toBe("invalid_client");
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused).toBeDefined();
    expect(refused.json.error.type).toBe("rate_limit_error");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    // An ops client calling from elsewhere is not affected.
    const client = `${env.TEST_OPS_CLIENT_ID}:${env.TEST_OPS_CLIENT_SECRET}`;
    expect((await send("POST", "/oauth/token", { ip: freshIp(), form, basic: client })).status).toBe(200);
  });

  it("limits each ops client on the ops routes", async () => {
    // An ops client of its own, so no other test's ops calls share its count.
    const clientId = `opc_RateLimited${Date.now()}`;
    const secret = `ocs_${crypto.randomUUID().replaceAll("-", "")}`;
    await sql("insert into ops_clients (id, name, secret_hash, scopes) values ($1, $2, $3, $4)", [
      clientId,
      "rate-limit attack test",
      await hashCredential(env.API_KEY_PEPPER, secret),
      ["merchants:read"],
    ]);
    const token = await opsToken(clientId, secret);
    const { id } = await newMerchant();
    const three = { ...env, OPS_RATE_LIMIT_PER_CLIENT: "3" } as Env;
    // Keep the burst inside one 1 s window.
    if (Date.now() % 1000 > 300) await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
    const read = () => {
      const request = new Request(`${BASE}/v1/merchants/${id}/rate_limits`, {
        headers: { Authorization: `Bearer ${token}`, "CF-Connecting-IP": freshIp() },
      });
      const ctx = createExecutionContext();
      return worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, three, ctx);
    };
    const answers = await Promise.all(Array.from({ length: 6 }, read));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 429, 429, 429]);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.headers.get("RateLimit-Limit")).toBe("3");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    for (const answer of answers) await answer.text();
  });
});
