import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onVaultError } from "../../errors/error-handler.js";
import type { VaultEnv } from "../../vault-env.js";
import { bodyLimit } from "./index.js";

/** Through Node's real HTTP server, where the headers frame the body (RFC 9112 §6.3). */
let server: ReturnType<typeof serve>;
let port: number;

beforeAll(async () => {
  const app = new Hono<VaultEnv>()
    .use(bodyLimit(16))
    .post("/echo", async (c) => c.json({ bytes: (await c.req.text()).length }))
    .get("/echo", (c) => c.json({ bytes: 0 }))
    .onError(onVaultError);
  server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends `chunks` as written; without `length` Node sends them chunked (`Transfer-Encoding`). */
function send(method: string, chunks: string[], length?: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = length === undefined ? {} : { "Content-Length": String(length) };
    const req = httpRequest({ host: "127.0.0.1", port, path: "/echo", method, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe("the vault's body limit", () => {
  it("passes a body within the limit, sized by Content-Length or chunked", async () => {
    expect(await send("POST", ["0123456789abcdef"], 16)).toEqual({ status: 200, body: '{"bytes":16}' });
    expect(await send("POST", ["0123456789", "abcdef"])).toEqual({ status: 200, body: '{"bytes":16}' });
    expect(await send("GET", [])).toEqual({ status: 200, body: '{"bytes":0}' });
  });

  it("refuses one byte more with 413 body_too_large, by its Content-Length or as the chunks come", async () => {
    for (const answer of [
      await send("POST", ["0123456789abcdefg"], 17),
      await send("POST", ["0123456789", "abcdefg"]),
    ]) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "body_too_large" } });
    }
  });
});
