import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { type FaultState, faultApplies, routeOf } from "./faults.js";

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * The aggregator's HTTP endpoint: the API behind it, the admin API's faults and latency applied
 * here, between the wire and the API, as the acquirer's ISO server applies them to its frames.
 */
export class WireServer {
  private server: Server | undefined;
  latencyMs = 0;

  constructor(
    private readonly api: Fetch,
    private readonly faults: () => FaultState,
    private port: number,
    private readonly hostname = "127.0.0.1",
  ) {}

  async listen(): Promise<number> {
    if (this.server) return this.boundPort();
    const server = createServer(getRequestListener((request) => this.answer(request)));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.hostname, () => resolve());
    });
    // Listening again after a "refuse" fault must come back on the same port.
    this.port = this.boundPort();
    return this.port;
  }

  /** Stops listening and drops every connection (the "refuse" fault, and shutdown). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  boundPort(): number {
    const address = this.server?.address();
    return typeof address === "object" && address ? address.port : this.port;
  }

  private async answer(request: Request): Promise<Response> {
    const faults = this.faults();
    const applies = faultApplies(faults, routeOf(request.method, new URL(request.url).pathname));
    if (applies && faults.mode === "http_500") {
      await pause(this.latencyMs);
      return Response.json(
        { error: { type: "api_error", message: "An unknown error occurred while processing your request." } },
        { status: 500 },
      );
    }
    const response = await this.api(request);
    await pause(this.latencyMs + (applies && faults.mode === "slow" ? faults.slow_ms : 0));
    if (applies && faults.mode === "never_answer") {
      // Booked, and the answer is lost: hold the connection until the caller gives up on it.
      const signal = request.signal;
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    }
    if (applies && faults.mode === "garbled") {
      return new Response("\u0000GARBLED\u00ff RESPONSE", {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    }
    return response;
  }
}

function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
