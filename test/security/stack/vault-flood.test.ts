import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevJson, startStack } from "../../support/running-stack.js";

/**
 * Issue 12, item 4, as an outsider tries it against `npm start`: a 20 MB body to any vault
 * route is refused with 413 before authentication and before any database work. Postgres is
 * stopped for the test, so a route that touched it would answer 5xx instead.
 */
let stack: Awaited<ReturnType<typeof startStack>>;
let dev: DevJson;

beforeAll(async () => {
  stack = await startStack();
  dev = stack.dev;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const admin = (path: string) =>
  fetch(`${dev.stack_admin}${path}`, { method: "POST", headers: { Authorization: `Bearer ${dev.stack_admin_token}` } });

/** POSTs `bytes` of JSON-ish body and resolves with the answer, even if the server stops reading. */
function bigPost(url: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": String(bytes) },
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", (error) => reject(error));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      request.end();
    };
    pump();
  });
}

describe("the vault under a flood of large bodies", () => {
  it("refuses a 20 MB POST to every route with 413, before authentication and any database work", async () => {
    expect((await admin("/postgres/stop")).status).toBe(200);
    try {
      for (const path of ["/v1/tokens", "/internal/v1/authorize", "/internal/v1/inquire", "/network/v1/chargebacks"]) {
        const answer = await bigPost(`${dev.vault}${path}`, 20 * 1024 * 1024).catch((error: Error) => ({
          status: -1,
          body: error.message,
        }));
        expect({ path, status: answer.status }).toEqual({ path, status: 413 });
        expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "body_too_large" } });
      }
    } finally {
      expect((await admin("/postgres/start")).status).toBe(200);
    }
  }, 60_000);
});
