import { createServer, type Server } from "node:http";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { type FaultState, faultApplies, routeOf } from "./faults.js";
import { PayPalFailure } from "./paypal-error.js";

type Fetch = (request: Request) => Response | Promise<Response>;

/** How long a never_answer request is held before its socket is destroyed, unless the caller gives up first. */
const NEVER_ANSWER_HOLD_MS = 60_000;

/**
 * The wallet's HTTP endpoint (the API, the approval page, the certificates): the admin API's
 * faults are applied here, between the wire and the API, as the other simulators apply them.
 */
export class WireServer {
  private server: Server | undefined;
  private readonly closing = new AbortController();

  constructor(
    private readonly app: Fetch,
    private readonly faults: () => FaultState,
    private port: number,
    private readonly hostname = "127.0.0.1",
  ) {}

  async listen(): Promise<number> {
    if (this.server) return this.boundPort();
    const server = createServer(getRequestListener((request, env) => this.answer(request, env as HttpBindings)));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.hostname, () => resolve());
    });
    // Listening again after a "refuse" fault must come back on the same port.
    this.port = this.boundPort();
    return this.port;
  }

  /** Stops listening and drops every connection (the "refuse" fault). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Shutdown: also lets go of requests held by never_answer. */
  async stop(): Promise<void> {
    this.closing.abort();
    await this.close();
  }

  boundPort(): number {
    const address = this.server?.address();
    return typeof address === "object" && address ? address.port : this.port;
  }

  private async answer(request: Request, env: HttpBindings): Promise<Response> {
    const faults = this.faults();
    const applies = faultApplies(faults, routeOf(request.method, new URL(request.url).pathname));
    if (applies && faults.mode === "http_500") return Response.json(new PayPalFailure(500).body(), { status: 500 });
    const response = await this.app(request);
    if (applies && faults.mode === "slow") await pause(faults.slow_ms);
    if (applies && faults.mode === "never_answer") {
      // Processed, and the answer is lost: hold the connection, then destroy it without a byte.
      await Promise.race([pause(NEVER_ANSWER_HOLD_MS), aborted(request.signal), aborted(this.closing.signal)]);
      env.incoming.socket.destroy();
      return new Response(null, { status: 500 });
    }
    if (applies && faults.mode === "garbled") {
      return new Response('\u0000GARBLED\u00ff {"status":', {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    }
    return response;
  }
}

function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}

function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
