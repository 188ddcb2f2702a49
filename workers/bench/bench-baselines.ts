/**
 * The benchmarks' baselines, answered before the gateway's app (no request id, log line, key,
 * rate limit or validation), in the same worker and run as what they are compared with. They
 * exist only when the var BENCH_ROUTES is "on" (wrangler.toml says "off" in every environment;
 * the benchmark's local stack turns it on); otherwise the app answers, 404.
 *
 * - `POST /bench/plain`: reads the body and answers; the floor of any route (bench:gateway).
 * - `POST /bench/object`: baseline (a) of issue 17, what any payment must cost here: a new
 *   SQLite-backed object, one row and one outbox row in one transaction, its alarm armed.
 * - `POST /bench/object-vault`: baseline (b), the same plus one fetch of the vault's no-op route.
 */
export function benchBaseline(request: Request, env: Env): Promise<Response> | null {
  if (env.BENCH_ROUTES !== "on" || request.method !== "POST") return null;
  switch (new URL(request.url).pathname) {
    case "/bench/plain":
      return plain(request);
    case "/bench/object":
      return floor(request, env, false);
    case "/bench/object-vault":
      return floor(request, env, true);
    default:
      return null;
  }
}

/** It still reads the body: an unread request body breaks the keep-alive connection. */
async function plain(request: Request): Promise<Response> {
  return Response.json({ ok: true, note: ((await request.json()) as { note?: string }).note });
}

async function floor(request: Request, env: Env, vault: boolean): Promise<Response> {
  const object = env.BENCH_FLOOR.get(env.BENCH_FLOOR.idFromName(crypto.randomUUID()));
  const recorded = await object.record(await request.text(), vault);
  // A 500, which the benchmark counts as a failed run: a baseline that skipped its vault call.
  if (vault && recorded.vaultStatus !== 200) throw new Error(`the vault's /livez answered ${recorded.vaultStatus}`);
  return Response.json({ id: recorded.id });
}
