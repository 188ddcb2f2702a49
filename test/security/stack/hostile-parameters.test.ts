import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiDocument, type HostileRequest, hostileRequests, wrongAnswer } from "../../support/hostile-inputs.js";
import { type DevJson, opsToken, startStack } from "../../support/running-stack.js";

/** Routes that exist only for the benchmark and the local fault campaign (404 everywhere else). */
const NOT_PUBLIC = ["/bench/", "/v1/ops/chaos/"];
const EVERY_GROUP = ["payments_create", "payments_update", "reads", "writes"];

let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack();
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/**
 * An outsider's inputs for every operation in the API reference, against `npm start` over HTTP
 * as `test/support/hostile-inputs.ts` makes them: each path id, query value and body field
 * hostile in turn (NUL, 5,000 characters, a card number, markup, numbers out of range, wrong
 * types), and bodies that are no object (one nested 100,000 deep). Every answer must be the
 * API's own: never a 500, a refusal in JSON with its error code. Found by it: a NUL (`%00`,
 * `\u0000`) in an id, cursor or text field reached Postgres and was a 500 on 30 routes.
 */
describe("hostile parameters, every operation", () => {
  it("never answers 500, and refuses in JSON naming the error", async () => {
    const document = (await (await fetch(`${dev.api}/v1/openapi.json`)).json()) as ApiDocument;
    const ops = await opsToken(dev);
    // The merchant's own limits out of the way, so every request reaches the route it probes.
    const limits = Object.fromEntries(EVERY_GROUP.map((group) => [group, { limit: 1_000_000, window_seconds: 1 }]));
    const raised = await fetch(`${dev.api}/v1/merchants/${dev.merchant_id}/rate_limits`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${ops}`, "Content-Type": "application/json" },
      body: JSON.stringify({ limits }),
    });
    expect(raised.status).toBe(200);
    const requests = hostileRequests(document, (path) => NOT_PUBLIC.some((prefix) => path.startsWith(prefix)));
    expect(requests.length).toBeGreaterThan(1_000);

    const send = async (request: HostileRequest) => {
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
      };
      if (request.caller === "merchant") headers.Authorization = `Bearer ${dev.secret_key}`;
      if (request.caller === "ops") headers.Authorization = `Bearer ${ops}`;
      const hasBody = request.body !== undefined && request.method !== "GET" && request.method !== "DELETE";
      // The ops client's own limit (100 a second) is waited out, never judged as an answer.
      for (;;) {
        const response = await fetch(`${dev.api}${request.path}`, {
          method: request.method,
          headers,
          ...(hasBody ? { body: request.body } : {}),
        });
        const text = await response.text();
        if (response.status === 429 && request.caller === "ops") {
          await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(response.headers.get("Retry-After") ?? 1)));
          continue;
        }
        const wrong = wrongAnswer(
          { status: response.status, contentType: response.headers.get("Content-Type") ?? "", text },
          request.path,
        );
        return wrong && `${request.method} ${request.path.slice(0, 80)} [${request.probe}]: ${wrong.slice(0, 160)}`;
      }
    };
    const failures: string[] = [];
    const queue = [...requests];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let request = queue.shift(); request; request = queue.shift()) {
          const failure = await send(request);
          if (failure) failures.push(failure);
        }
      }),
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
