import {
  createExecutionContext,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  SELF,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../index.js";

const BASE = "https://gateway.test";
const BODY = JSON.stringify({ amount: 1_000, currency: "usd" });

/** The Worker as the benchmark's stack runs it: BENCH_ROUTES "on". */
async function benchCall(path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: BODY,
  });
  const response = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...env, BENCH_ROUTES: "on" } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const floorObject = (id: string) => env.BENCH_FLOOR.get(env.BENCH_FLOOR.idFromString(id));

/** What the object holds now. */
const held = (id: string) =>
  runInDurableObject(floorObject(id), (_object, state) => ({
    records: state.storage.sql.exec("SELECT doc FROM record").toArray(),
    outbox: state.storage.sql.exec("SELECT body FROM outbox").toArray().length,
  }));

/** The vault as the DO's `fetch` meets it (the objects run in this isolate): `status` for every call. */
function vaultAnswering(status: number): string[] {
  const asked: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(env.VAULT_URL)) return real(input, init);
    asked.push(url.slice(env.VAULT_URL.length));
    return Response.json({ status: "ok" }, { status });
  });
  return asked;
}

describe("the benchmarks' baselines (issue 17)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("do not exist where BENCH_ROUTES is off, as in every wrangler.toml environment", async () => {
    for (const path of ["/bench/plain", "/bench/object", "/bench/object-vault"]) {
      const response = await SELF.fetch(`${BASE}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: BODY,
      });
      expect(response.status, path).toBe(404);
      await response.body?.cancel();
    }
  });

  it("(a) writes one row and one outbox row in one go and arms the alarm, which drains the outbox", async () => {
    const fresh = env.BENCH_FLOOR.newUniqueId();
    const written = await runInDurableObject(env.BENCH_FLOOR.get(fresh), async (object, state) => {
      await object.record(BODY, false);
      return {
        records: state.storage.sql.exec("SELECT doc FROM record").toArray(),
        outbox: state.storage.sql.exec("SELECT body FROM outbox").toArray().length,
        alarm: await state.storage.getAlarm(),
      };
    });
    expect(written).toMatchObject({ records: [{ doc: BODY }], outbox: 1 });
    expect(written.alarm).not.toBeNull();
    await runDurableObjectAlarm(env.BENCH_FLOOR.get(fresh));
    expect((await held(fresh.toString())).outbox).toBe(0);
  });

  it("(a) through its route: a new object per call, holding the request's body", async () => {
    const first = await benchCall("/bench/object");
    const second = await benchCall("/bench/object");
    expect([first.status, second.status]).toEqual([200, 200]);
    const [one, two] = [(await first.json()) as { id: string }, (await second.json()) as { id: string }];
    expect(one.id).not.toBe(two.id);
    expect((await held(one.id)).records).toEqual([{ doc: BODY }]);
  });

  it("(b) fetches the vault's no-op route as well, and fails unless the vault answers it 200", async () => {
    vaultAnswering(503);
    await expect(benchCall("/bench/object-vault")).rejects.toThrow("the vault's /livez answered 503");
    vi.restoreAllMocks();
    const asked = vaultAnswering(200);
    const answered = await benchCall("/bench/object-vault");
    expect(answered.status).toBe(200);
    const { id } = (await answered.json()) as { id: string };
    expect(asked).toEqual(["/livez"]);
    expect((await held(id)).records).toEqual([{ doc: BODY }]);
  });
});
