import { randomInt } from "node:crypto";
import { createConnection, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { pack, unpack } from "../../iso8583/codec.js";
import { FrameDecoder, frame } from "../../iso8583/framing.js";
import { type IsoMessage, responseMti } from "../../iso8583/message.js";

/**
 * A transport failure. `sent` says whether the request may have reached the host: only a
 * failure with `sent: false` is safe to retry; any other leaves the outcome unknown.
 */
export class LinkError extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
  ) {
    super(message);
    this.name = "LinkError";
  }
}

/** TCP connect: per attempt, how many, and the pause between (only a connect is ever retried). */
export interface ConnectBudget {
  timeoutMs: number;
  attempts: number;
  pauseMs: number;
}

/**
 * TLS on the link: the acquirer's CA (PEM) is the only one trusted, and the host name the vault
 * dials must be in the host's certificate (RFC 6125). TLS 1.2 at least (PCI DSS 4.2.1).
 */
export interface LinkTls {
  ca: string;
}

interface Pending {
  expectedMti: string;
  /** Field 41 and (when the request has one) field 37: what the answer must echo. */
  terminalId: string | undefined;
  rrn: string | undefined;
  resolve: (message: IsoMessage) => void;
  reject: (error: LinkError) => void;
  timer: NodeJS.Timeout;
}

/**
 * One persistent TCP (or TLS) connection to an acquirer host, multiplexing requests by STAN
 * (field 11): responses may come back in any order. An answer is taken only when it also echoes
 * the request's terminal (field 41) and retrieval reference (field 37), so a stray or forged
 * frame carrying a pending STAN cannot settle another transaction. Connects lazily, and
 * reconnects on the next request after the host drops the line.
 */
export class Iso8583Link {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private readonly pending = new Map<string, Pending>();
  /**
   * Starts at a random point so a restarted vault, or a second instance on the same terminal id,
   * rarely meets the STANs (and so the RRNs) already used this hour. Rarely is not never: the
   * journal's unique index on the RRN is the guarantee, and a clash moves the counter on.
   */
  private stan = randomInt(0, 999_999);
  /** Frames that could not be decoded (a garbled host); their requests time out. */
  garbledFrames = 0;
  /** Answers whose STAN was pending but whose terminal or RRN did not match: ignored. */
  mismatchedFrames = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly connect: ConnectBudget,
    private readonly tls: LinkTls | null = null,
  ) {}

  /** The next system trace audit number, 000001-999999, wrapping. */
  nextStan(): string {
    this.stan = (this.stan % 999_999) + 1;
    return String(this.stan).padStart(6, "0");
  }

  /** Moves the counter to `to` (by default a fresh random point): the next STAN is `to + 1`. */
  moveTrace(to = randomInt(0, 999_999)): void {
    this.stan = to % 999_999;
  }

  async exchange(request: IsoMessage, timeoutMs: number): Promise<IsoMessage> {
    const stan = request.fields[11];
    if (!stan) throw new Error("an ISO 8583 request needs a STAN (field 11)");
    const bytes = frame(pack(request));
    const socket = await this.connected();
    // A trace number still awaiting its answer cannot carry a second request: refused unsent.
    if (this.pending.has(stan)) throw new LinkError(`STAN ${stan} is already in flight`, false);
    return new Promise<IsoMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(stan);
        reject(new LinkError(`no response to ${request.mti} STAN ${stan} within ${timeoutMs} ms`, true));
      }, timeoutMs);
      this.pending.set(stan, {
        expectedMti: responseMti(request.mti),
        terminalId: request.fields[41],
        rrn: request.fields[37],
        resolve,
        reject,
        timer,
      });
      socket.write(bytes);
    });
  }

  async close(): Promise<void> {
    this.failAll(new LinkError("link closed", true));
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) await new Promise<void>((resolve) => socket.end(() => resolve()));
  }

  private async connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return this.socket;
    this.connecting ??= this.connectWithRetry().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Connection failures happen before anything is sent, so they alone are retried. */
  private async connectWithRetry(): Promise<Socket> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.connect.attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.connect.pauseMs));
      try {
        const socket = await this.open();
        this.socket = socket;
        return socket;
      } catch (error) {
        lastError = error;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new LinkError(`cannot connect to ${this.host}:${this.port}: ${reason}`, false);
  }

  /**
   * One connect attempt (with TLS, through the handshake), abandoned after `timeoutMs` (a host
   * that drops SYNs would hang it for minutes). Nothing is sent before it succeeds, so a refused
   * certificate is a connect failure like any other: retried, and "not sent" in the end.
   */
  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = this.tls
        ? connectTls({ host: this.host, port: this.port, ca: this.tls.ca, minVersion: "TLSv1.2" })
        : createConnection({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      const decoder = new FrameDecoder();
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new Error(`connect timed out after ${this.connect.timeoutMs} ms`)),
        this.connect.timeoutMs,
      );
      socket.once(this.tls ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.off("error", fail);
        socket.on("error", () => socket.destroy());
        resolve(socket);
      });
      socket.once("error", fail);
      socket.on("data", (chunk: Buffer) => {
        for (const raw of decoder.push(chunk)) this.deliver(raw);
      });
      socket.on("close", () => {
        // Only the live connection carries requests; a failed connect attempt has none.
        if (this.socket !== socket) return;
        this.socket = undefined;
        this.failAll(new LinkError("the acquirer host closed the connection", true));
      });
    });
  }

  private deliver(raw: Buffer): void {
    let message: IsoMessage;
    try {
      message = unpack(raw);
    } catch {
      this.garbledFrames += 1;
      return;
    }
    const stan = message.fields[11];
    const waiting = stan ? this.pending.get(stan) : undefined;
    if (!waiting || waiting.expectedMti !== message.mti) return; // late or unsolicited: ignored
    if (
      message.fields[41] !== waiting.terminalId ||
      (waiting.rrn !== undefined && message.fields[37] !== waiting.rrn)
    ) {
      this.mismatchedFrames += 1; // not this request's answer; the request times out if none comes
      return;
    }
    this.pending.delete(stan as string);
    clearTimeout(waiting.timer);
    waiting.resolve(message);
  }

  private failAll(error: LinkError): void {
    for (const [stan, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
      this.pending.delete(stan);
    }
  }
}
