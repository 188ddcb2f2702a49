import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../workers/index.js";
import type { DeliveryMessage } from "../../workers/webhooks/webhook-deliveries.repository.js";
import { BASE, expectError, newMerchant } from "../edge/support/api.js";
import { sql } from "../edge/support/database.js";
import { deliver, transition } from "../edge/support/projection.js";

/**
 * Issue 12, item 2: a webhook is a request the gateway makes wherever a merchant says, and the
 * delivery log shows the merchant the answer. Pointed inside, it would drive the acquirer
 * simulator's admin API, internal origins or the cloud metadata service and read their replies
 * (server-side request forgery). These attacks go through the API as a merchant would, on a
 * deployment as wrangler.toml configures it (WEBHOOK_LOCAL_RECEIVERS "off"), and through the
 * delivery consumer for URLs stored before the rule.
 */
const deployed = { ...env, WEBHOOK_LOCAL_RECEIVERS: "off" } as Env;
const local = { ...env, WEBHOOK_LOCAL_RECEIVERS: "on" } as Env;

async function post(path: string, secretKey: string, body: unknown, on: Env) {
  const request = new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${secretKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, on, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

const register = (secretKey: string, url: string, on = deployed) =>
  post("/v1/webhook_endpoints", secretKey, { url, enabled_events: ["*"] }, on);

const FORBIDDEN: Record<string, string[]> = {
  loopback: ["https://127.0.0.1/", "https://127.9.9.9:8584/faults", "https://[::1]/", "https://127.1/"],
  "private (RFC 1918)": ["https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.1.1/"],
  "link-local": ["https://169.254.10.10/", "https://[fe80::1]/"],
  CGNAT: ["https://100.64.0.1/", "https://100.127.255.254/"],
  multicast: ["https://224.0.0.1/", "https://[ff02::1]/"],
  unspecified: ["https://0.0.0.0/", "https://0/", "https://[::]/"],
  "benchmark, documentation and reserved": [
    "https://198.18.0.1/",
    "https://192.0.2.10/",
    "https://203.0.113.5/",
    "https://[2001:db8::1]/",
    "https://240.0.0.1/",
    "https://255.255.255.255/",
  ],
  metadata: [
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/",
    "https://metadata.google.internal/computeMetadata/v1/",
  ],
  "IPv4 in IPv6": [
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[0:0:0:0:0:ffff:a00:1]/",
    "https://[::127.0.0.1]/",
    "https://[64:ff9b::10.0.0.1]/",
    "https://[2002:a9fe:a9fe::]/",
  ],
  "decimal, octal and hex IPv4": [
    "https://2130706433/",
    "https://0x7f.1/",
    "https://017700000001/",
    "https://0xa9.0xfe.0xa9.0xfe/",
  ],
  "internal names": [
    "https://localhost/",
    "https://LOCALHOST./",
    "https://api.localhost/",
    "https://db.internal/",
    "https://printer.local/",
    "https://router.home.arpa/",
    "https://intranet/",
  ],
  credentials: ["https://user:pass@hooks.example.com/", "https://token@hooks.example.com/"],
  "plain http outside local development": ["http://hooks.example.com/in", "http://93.184.215.14/"],
};

describe("webhook URLs cannot reach inside", () => {
  for (const [kind, urls] of Object.entries(FORBIDDEN)) {
    it(`refuses ${kind} at registration and update, naming url`, async () => {
      const { secretKey, id: merchantId } = await newMerchant();
      const kept = await register(secretKey, "https://hooks.example.com/in");
      expect(kept.status).toBe(201);
      for (const url of urls) {
        const created = await register(secretKey, url);
        expectError(created, 400, "invalid_request_error", "url");
        expect(created.json.error.code, url).toBe("url_not_allowed");
        const updated = await post(`/v1/webhook_endpoints/${kept.json.id}`, secretKey, { url }, deployed);
        expectError(updated, 400, "invalid_request_error", "url");
      }
      expect(await sql("select url from webhook_endpoints where merchant_id = $1", [merchantId])).toEqual([
        { url: "https://hooks.example.com/in" },
      ]);
    });
  }

  it("lets the local-development switch allow loopback over http, and nothing else inside", async () => {
    const { secretKey } = await newMerchant();
    for (const url of ["http://127.0.0.1:8584/faults", "http://localhost:9/hooks", "http://[::1]:9/hooks"]) {
      expect((await register(secretKey, url, local)).status, url).toBe(201);
    }
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://[::ffff:10.0.0.1]/",
      "http://192.168.1.1/",
      "http://metadata.google.internal/",
      "http://user:pass@127.0.0.1:9/hooks",
    ]) {
      expectError(await register(secretKey, url, local), 400, "invalid_request_error", "url");
    }
  });
});

let serial = 0;

/** A due delivery of a fresh event to an endpoint whose stored URL is then set to `url`. */
async function storedDelivery(url: string) {
  const { id: merchant, secretKey } = await newMerchant();
  await deliver([transition(merchant, `pay_ssrf_${Date.now()}_${++serial}`, 3, "captured", "authorized")]);
  const endpoint = await register(secretKey, "https://hooks.example.com/in");
  // As a row written before the rule, or while the local switch was on.
  await sql("update webhook_endpoints set url = $1 where id = $2", [url, endpoint.json.id]);
  const [event] = await sql<{ id: string }>("select id from events where merchant_id = $1", [merchant]);
  const id = `whd_ssrf${++serial}${Date.now()}`;
  await sql(
    `insert into webhook_deliveries (id, merchant_id, livemode, event_id, endpoint_id, attempts, next_attempt_at)
     values ($1, $2, false, $3, $4, 0, now())`,
    [id, merchant, event!.id, endpoint.json.id],
  );
  return id;
}

async function consume(id: string, on: Env) {
  const batch = createMessageBatch<DeliveryMessage>("webhook-delivery", [
    { id: `m${++serial}`, timestamp: new Date(), attempts: 1, body: { delivery_id: id, attempt: 0 } },
  ]);
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env, DeliveryMessage>)(batch, on, ctx);
  await getQueueResult(batch, ctx);
  const [attempt] = await sql<{ status_code: number | null; response_excerpt: string | null; error: string | null }>(
    "select status_code, response_excerpt, error from webhook_delivery_attempts where delivery_id = $1",
    [id],
  );
  const [delivery] = await sql<{ status: string }>("select status from webhook_deliveries where id = $1", [id]);
  return { attempt, status: delivery?.status };
}

/** Stands in for every receiver: answers `https://hooks.example.com/` with `answer`, records all calls. */
function receiver(answer: () => Response) {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith("https://hooks.example.com/")) return answer();
    throw new TypeError(`unexpected request to ${url} (${init?.method ?? "GET"})`);
  });
}

describe("webhook deliveries cannot reach inside", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("sends nothing to a stored URL the rule refuses, whatever the switch", async () => {
    const sent = receiver(() => new Response("ok"));
    for (const [url, on] of [
      ["http://169.254.169.254/latest/meta-data/", local],
      ["http://10.0.0.1/admin", local],
      ["http://127.0.0.1:8584/faults", deployed],
      ["https://metadata.google.internal/computeMetadata/v1/", deployed],
    ] as const) {
      const { attempt, status } = await consume(await storedDelivery(url), on);
      expect(attempt, url).toMatchObject({ status_code: null, response_excerpt: null });
      expect(attempt?.error, url).toMatch(/^url_not_allowed: /);
      expect(status, url).toBe("pending"); // retried: a corrected URL still gets the event
    }
    expect(sent).not.toHaveBeenCalled();
  });

  it("does not follow a redirect: a 3xx is a failed attempt", async () => {
    const sent = receiver(
      () => new Response(null, { status: 302, headers: { Location: "http://169.254.169.254/latest/meta-data/" } }),
    );
    const { attempt, status } = await consume(await storedDelivery("https://hooks.example.com/in"), deployed);
    expect(sent).toHaveBeenCalledTimes(1);
    expect(sent.mock.calls[0]?.[1]?.redirect).toBe("manual");
    expect(attempt).toMatchObject({ status_code: 302 });
    expect(status).toBe("pending");
  });

  it("reads at most 1 KiB of an answer and cancels the rest", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let pulled = 0;
    let cancelled = false;
    receiver(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              if (pulled >= 1024 * 1024) return controller.close(); // 1 MiB if read to the end
              pulled += chunk.byteLength;
              controller.enqueue(chunk);
            },
            cancel() {
              cancelled = true;
            },
          }),
          { status: 200 },
        ),
    );
    const { attempt, status } = await consume(await storedDelivery("https://hooks.example.com/in"), deployed);
    expect(status).toBe("succeeded");
    expect(attempt?.response_excerpt).toBe("x".repeat(1024));
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(64 * 1024);
  });
});
