import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string;
  type: string;
  body: string;
  headers: Record<string, string>;
  verified: boolean;
  /** `performance.now()` when the request had been read and checked. */
  receivedAt: number;
}

type Mode = "ok" | "error" | "gone";

/**
 * A merchant's webhook receiver on a real port, verifying every request with the npm
 * `standardwebhooks` package (not with the gateway's code). `mode` decides the answer: 200, 500,
 * or 410; `stop()` and `start()` take it off the network and back on the same port.
 */
export class WebhookReceiver {
  readonly requests: Received[] = [];
  mode: Mode = "ok";
  secret = "";
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Unique deliveries after deduplication by `webhook-id`, as a receiver must dedupe. */
  get deduplicated(): Received[] {
    const seen = new Map<string, Received>();
    for (const request of this.requests) if (request.verified && !seen.has(request.id)) seen.set(request.id, request);
    return [...seen.values()];
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = plain(request.headers);
        let verified = false;
        try {
          new Webhook(this.secret).verify(body, headers);
          verified = true;
        } catch {
          verified = false;
        }
        const parsed = JSON.parse(body) as { type: string };
        this.requests.push({
          id: headers["webhook-id"] ?? "",
          type: parsed.type,
          body,
          headers,
          verified,
          receivedAt: performance.now(),
        });
        const status = !verified ? 400 : this.mode === "ok" ? 200 : this.mode === "gone" ? 410 : 500;
        response.writeHead(status, { "Content-Type": "text/plain" }).end(status === 200 ? "ok" : "not now");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

function plain(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
  );
}

/** Polls until `check` holds (or fails after `timeoutMs` with the last value). */
export async function eventually<T>(read: () => T | Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}
