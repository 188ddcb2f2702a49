import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newUpiId } from "../../common/upi/upi-fields.js";
import { decodeUpi, encodeUpi, type UpiMessage } from "../../common/upi/upi-messages.js";
import {
  importUpiSigningKey,
  importUpiVerifyKeys,
  signUpiXml,
  type UpiSigner,
  verifyUpiXml,
} from "../../common/upi/upi-signature.js";
import type { SwitchTimers } from "./switch-engine.js";
import { type RunningUpiSwitch, startUpiSwitchSimulator } from "./upi-switch-simulator.js";

/**
 * What the simulator's tests drive it with, all over real HTTP: a PSP (the gateway's role) that
 * signs its requests with its own key, and a callback receiver on a local port that verifies the
 * switch's signature on every RespPay and answers 200 (or what a test tells it to).
 */
export const FAST_TIMERS: SwitchTimers = {
  payerDelayMs: 50,
  slowCallbackMs: 800,
  testExpiryMs: 300,
  reversalDelayMs: 200,
  deemedResolveMs: 400,
};

export function rsaKeyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    signing: JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid }),
    jwks: JSON.stringify({ keys: [{ ...publicKey.export({ format: "jwk" }), kid }] }),
  };
}

export interface ReceivedCallback {
  path: string;
  /** The canonical XML when the switch's signature verified, else null. */
  verified: string | null;
  message: UpiMessage | null;
}

type ReqPay = Extract<UpiMessage, { api: "ReqPay" }>;

export class UpiSwitchKit {
  readonly received: ReceivedCallback[] = [];
  /** The HTTP status the callback receiver answers with. */
  answerStatus = 200;
  sim!: RunningUpiSwitch;
  psp!: UpiSigner;
  private switchKeys!: Map<string, CryptoKey>;
  private receiver!: Server;
  private options!: Parameters<typeof startUpiSwitchSimulator>[0];

  static async start(overrides: Partial<Parameters<typeof startUpiSwitchSimulator>[0]> = {}): Promise<UpiSwitchKit> {
    const kit = new UpiSwitchKit();
    const switchPair = rsaKeyPair("npci-test");
    const pspPair = rsaKeyPair("gwy-test");
    kit.psp = await importUpiSigningKey(pspPair.signing);
    kit.switchKeys = await importUpiVerifyKeys(switchPair.jwks);
    const callbackPort = await kit.listenForCallbacks();
    kit.options = {
      port: 0,
      adminPort: 0,
      dataDir: mkdtempSync(join(tmpdir(), "upi-switch-")),
      signingKey: switchPair.signing,
      pspJwks: pspPair.jwks,
      callbackUrl: `http://127.0.0.1:${callbackPort}/network/upi`,
      timers: FAST_TIMERS,
      maxRequestAgeMs: 60_000,
      txnLimitPaise: 10_000_000,
      callbackRetryMs: [50, 100],
      ...overrides,
    };
    kit.sim = await startUpiSwitchSimulator(kit.options);
    return kit;
  }

  get dataDir(): string {
    return this.options.dataDir ?? "";
  }

  /**
   * Stops the switch and starts it again on the same data directory, as a restart would. On new
   * ports: fetch's pooled keep-alive sockets to the old ones may not have seen the close yet.
   */
  async restart(): Promise<void> {
    await this.sim.stop();
    this.sim = await startUpiSwitchSimulator(this.options);
  }

  async stop(): Promise<void> {
    await this.sim.stop();
    await new Promise<void>((resolve) => this.receiver.close(() => resolve()));
  }

  head(ts = new Date()) {
    return { ts: ts.toISOString(), orgId: "GWY", msgId: newUpiId("GWY") };
  }

  collect(vpa: string, amountPaise: number, txn: Partial<ReqPay["txn"]> = {}): ReqPay {
    return {
      api: "ReqPay",
      head: this.head(),
      txn: { id: newUpiId("GWY"), ts: new Date().toISOString(), type: "COLLECT", initiationMode: "00", ...txn },
      payer: { addr: vpa, amountPaise },
      payee: { addr: "shop@gwy", name: "Chai Co", type: "ENTITY", amountPaise },
    };
  }

  intent(amountPaise: number, note?: string): ReqPay {
    const txn = { id: newUpiId("GWY"), ts: new Date().toISOString(), type: "PAY" as const, initiationMode: "04" };
    return {
      api: "ReqPay",
      head: this.head(),
      txn: note ? { ...txn, note } : txn,
      payee: { addr: "shop@gwy", name: "Chai Co", type: "ENTITY", amountPaise },
    };
  }

  refund(orgTxnId: string, payerVpa: string, amountPaise: number): ReqPay {
    return {
      api: "ReqPay",
      head: this.head(),
      txn: { id: newUpiId("GWY"), ts: new Date().toISOString(), type: "REFUND", orgTxnId },
      payer: { addr: "shop@gwy", amountPaise },
      payee: { addr: payerVpa, amountPaise },
    };
  }

  chkTxn(orgTxnId: string): Extract<UpiMessage, { api: "ReqChkTxn" }> {
    return {
      api: "ReqChkTxn",
      head: this.head(),
      txn: { id: newUpiId("GWY"), ts: new Date().toISOString(), type: "ChkTxn", orgTxnId },
    };
  }

  valAdd(vpa: string): Extract<UpiMessage, { api: "ReqValAdd" }> {
    const txn = { id: newUpiId("GWY"), ts: new Date().toISOString(), type: "ValAdd" as const };
    return { api: "ReqValAdd", head: this.head(), txn, payee: { addr: vpa } };
  }

  /** POSTs `message`, signed (by `signer`, default the PSP's key), and reads the switch's signed answer. */
  async send(message: UpiMessage, init: { signer?: UpiSigner; raw?: string; signal?: AbortSignal } = {}) {
    if (message.api === "Ack") throw new Error("the PSP sends requests");
    const body = init.raw ?? (await signUpiXml(encodeUpi(message), init.signer ?? this.psp));
    const response = await fetch(`${this.sim.url}/upi/${message.api}/2.0/urn:txnid:${message.txn.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/xml" },
      body,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const text = await response.text();
    const verified = await verifyUpiXml(text, this.switchKeys);
    return { status: response.status, text, message: verified ? decodeUpi(verified) : null };
  }

  // biome-ignore lint/suspicious/noExplicitAny: the admin API's JSON, checked field by field by the tests
  async admin(path: string, init?: RequestInit): Promise<any> {
    const response = await fetch(`${this.sim.adminUrl}${path}`, init);
    const type = response.headers.get("content-type") ?? "";
    return type.includes("json") ? response.json() : response.text();
  }

  callbacksFor(txnId: string): ReceivedCallback[] {
    return this.received.filter((callback) => callback.path.endsWith(`urn:txnid:${txnId}`));
  }

  private async listenForCallbacks(): Promise<number> {
    this.receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", async () => {
        const verified = await verifyUpiXml(Buffer.concat(chunks).toString("utf8"), this.switchKeys);
        this.received.push({ path: request.url ?? "", verified, message: verified ? decodeUpi(verified) : null });
        response.writeHead(this.answerStatus, { "Content-Type": "application/xml" }).end();
      });
    });
    await new Promise<void>((resolve) => this.receiver.listen(0, "127.0.0.1", resolve));
    const address = this.receiver.address();
    return typeof address === "object" && address ? address.port : 0;
  }
}

/** Polls `read` until `done` holds (or fails after `timeoutMs`). */
export async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
