import { createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { pack, unpack } from "../../vault-service/iso8583/codec.js";
import { FrameDecoder, frame } from "../../vault-service/iso8583/framing.js";
import { type FaultState, faultApplies } from "./faults.js";
import type { IssuerHost } from "./issuer-host.js";

/** The host's certificate and key (PEM): with them the endpoint speaks TLS only. */
export interface IsoServerTls {
  cert: string;
  key: string;
}

/**
 * The acquirer host's TCP endpoint: 2-byte length-prefixed ISO 8583 frames in, the same out,
 * over plain TCP or, given a certificate, TLS (1.2 at least), as acquirers offer it. Faults from
 * the admin API are applied here, between the wire and the issuer host.
 */
export class IsoServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  latencyMs = 0;

  constructor(
    private readonly host: IssuerHost,
    private readonly faults: () => FaultState,
    private port: number,
    private readonly hostname = "127.0.0.1",
    private readonly tls: IsoServerTls | null = null,
  ) {}

  async listen(): Promise<number> {
    if (this.server) return this.boundPort();
    const server = this.tls
      ? createTlsServer({ ...this.tls, minVersion: "TLSv1.2" }, (socket) => this.accept(socket))
      : createServer((socket) => this.accept(socket));
    // A client that fails the handshake (an untrusted or plain-TCP caller) only loses its socket.
    server.on("tlsClientError", (_error, socket) => socket.destroy());
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
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get speaksTls(): boolean {
    return this.tls !== null;
  }

  boundPort(): number {
    const address = this.server?.address();
    return typeof address === "object" && address ? address.port : this.port;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const decoder = new FrameDecoder();
    socket.on("data", (chunk: Buffer) => {
      for (const request of decoder.push(chunk)) void this.answer(socket, request);
    });
  }

  private async answer(socket: Socket, raw: Buffer): Promise<void> {
    let request: ReturnType<typeof unpack>;
    try {
      request = unpack(raw);
    } catch {
      return; // an unreadable request gets no answer, as on a real host; the sender times out
    }
    const faults = this.faults();
    const applies = faultApplies(faults, request.mti);
    const response = this.host.handle(request);
    const delay = this.latencyMs + (applies && faults.mode === "slow" ? faults.slow_ms : 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (applies && faults.mode === "never_answer") return;
    if (socket.destroyed) return;
    socket.write(
      applies && faults.mode === "garbled"
        ? frame(Buffer.from("\u0000GARBLED\u00ff RESPONSE", "latin1"))
        : frame(pack(response)),
    );
  }
}
