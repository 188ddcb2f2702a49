import { createServer, type Server } from "node:http";
import { getRequestListener, type HttpBindings } from "@hono/node-server";

type Fetch = (request: Request) => Response | Promise<Response>;

/** How long a never_answer request is held before its socket is destroyed, unless the caller gives up first. */
const NEVER_ANSWER_HOLD_MS = 60_000;

/** The fault modes every HTTP simulator's wire can play; each simulator says which request a fault hits. */
export interface WireFault {
  mode: string;
  slow_ms: number;
}

/** What a simulator's own wire format makes of the faults: which requests they hit, and what a spoiled or failing answer looks like. */
export interface WireFaultFormat {
  applies(request: Request): boolean;
  /** Bytes that start like an answer of this wire format and are not one. */
  garbled: { body: string; contentType: string };
  /** The answer to the `http_500` fault, for wire formats that have one (the request is not run). */
  serverError?: () => Response;
}

/**
 * An HTTP simulator's endpoint (the UPI switch's, the wallet's): the admin API's faults applied
 * between the wire and the API. `refuse` is `close()` (connections refused until `listen()`);
 * `slow` delays the answer; `never_answer` runs the request (it is booked) and loses the answer;
 * `garbled` runs it and spoils the answer; `http_500` answers before anything runs.
 */
export class HttpWireServer {
  private server: Server | undefined;
  private readonly closing = new AbortController();

  constructor(
    private readonly app: Fetch,
    private readonly faults: () => WireFault,
    private readonly format: WireFaultFormat,
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
    const applies = faults.mode !== "none" && this.format.applies(request);
    if (applies && faults.mode === "http_500" && this.format.serverError) return this.format.serverError();
    const response = await this.app(request);
    if (applies && faults.mode === "slow") await pause(faults.slow_ms);
    if (applies && faults.mode === "never_answer") {
      // Processed, and the answer is lost: hold the connection, then destroy it without a byte.
      await Promise.race([pause(NEVER_ANSWER_HOLD_MS), aborted(request.signal), aborted(this.closing.signal)]);
      env.incoming.socket.destroy();
      return new Response(null, { status: 500 });
    }
    if (applies && faults.mode === "garbled") {
      return new Response(this.format.garbled.body, {
        status: 200,
        headers: { "Content-Type": this.format.garbled.contentType },
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
