import { mkdtempSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyPayPalSignature } from "../../common/wallet/paypal-webhook-signature.js";
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_WEBHOOK_ID } from "./config.js";
import { type RunningWallet, startWalletSimulator, type WalletOptions } from "./wallet-simulator.js";

/**
 * What the simulator's tests drive it with, all over real HTTP: a merchant's server (the gateway's
 * role) holding a bearer token, a payer posting the approval page's forms, and a webhook receiver
 * on a local port that checks every delivery with common/wallet's verifier against the
 * certificate served at its PAYPAL-CERT-URL, and answers 200 (or what a test tells it to).
 */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: the event's JSON, checked field by field by the tests
  event: any;
  verified: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: PayPal's JSON, checked field by field by the tests
export type Json = any;

export class WalletKit {
  readonly received: ReceivedWebhook[] = [];
  /** The HTTP status the webhook receiver answers with. */
  answerStatus = 200;
  sim!: RunningWallet;
  private receiver!: Server;
  private options!: WalletOptions;
  private accessToken: string | undefined;

  static async start(overrides: Partial<WalletOptions> = {}): Promise<WalletKit> {
    const kit = new WalletKit();
    const port = await kit.listenForWebhooks();
    kit.options = {
      port: 0,
      adminPort: 0,
      dataDir: mkdtempSync(join(tmpdir(), "wallet-")),
      webhookUrl: `http://127.0.0.1:${port}/webhooks/paypal`,
      orderExpiryMs: 60_000,
      pendingCaptureMs: 300,
      webhookRetryMs: [50, 100],
      ...overrides,
    };
    kit.sim = await startWalletSimulator(kit.options);
    return kit;
  }

  get dataDir(): string {
    return this.options.dataDir ?? "";
  }

  /** Stops the wallet and starts it again on the same data directory, as a restart would (on new ports). */
  async restart(): Promise<void> {
    await this.sim.stop();
    this.sim = await startWalletSimulator(this.options);
  }

  async stop(): Promise<void> {
    await this.sim.stop();
    await new Promise<void>((resolve) => this.receiver.close(() => resolve()));
  }

  async token(): Promise<string> {
    if (this.accessToken) return this.accessToken;
    const response = await fetch(`${this.sim.url}/v1/oauth2/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${btoa(`${DEV_CLIENT_ID}:${DEV_CLIENT_SECRET}`)}` },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    this.accessToken = ((await response.json()) as { access_token: string }).access_token;
    return this.accessToken;
  }

  /** An API call as the merchant makes it: JSON in and out, with the bearer token. */
  async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.sim.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await this.token()}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Json };
  }

  orderBody(
    options: { intent?: "CAPTURE" | "AUTHORIZE"; value?: string; currency?: string; paymentSource?: boolean } = {},
  ) {
    const experience = {
      return_url: "https://shop.example/return?cart=7",
      cancel_url: "https://shop.example/cancel",
      brand_name: "Chai Co",
      user_action: "PAY_NOW",
    };
    return {
      intent: options.intent ?? "CAPTURE",
      purchase_units: [
        {
          reference_id: "pay_test",
          custom_id: "pay_test",
          amount: { currency_code: options.currency ?? "USD", value: options.value ?? "499.00" },
        },
      ],
      ...(options.paymentSource === false
        ? { application_context: experience }
        : { payment_source: { paypal: { experience_context: experience } } }),
    };
  }

  /** A new order, its id. */
  async createOrder(options: Parameters<WalletKit["orderBody"]>[0] = {}): Promise<string> {
    const created = await this.api("POST", "/v2/checkout/orders", this.orderBody(options));
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  /** The payer posts the approval page's Approve form (as `email`); the redirect is not followed. */
  approve(orderId: string, email = "approve@wallet.test"): Promise<Response> {
    return this.form("/checkoutnow/approve", { token: orderId, email });
  }

  form(path: string, fields: Record<string, string>): Promise<Response> {
    return fetch(`${this.sim.url}${path}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  }

  /** A new order the payer has approved: its id. */
  async approvedOrder(email = "approve@wallet.test", options: Parameters<WalletKit["orderBody"]>[0] = {}) {
    const id = await this.createOrder(options);
    const approved = await this.approve(id, email);
    if (approved.status !== 303) throw new Error(`approve: ${approved.status}`);
    return id;
  }

  async admin(path: string, init?: RequestInit): Promise<Json> {
    const response = await fetch(`${this.sim.adminUrl}${path}`, init);
    const type = response.headers.get("content-type") ?? "";
    return type.includes("json") ? response.json() : response.text();
  }

  putAdmin(path: string, body: object): Promise<Json> {
    return this.admin(path, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  /** The webhooks received that name `id` (an order, or a capture for its refunds), of `type` if given. */
  webhooksFor(id: string, type?: string): ReceivedWebhook[] {
    return this.received.filter((hook) => hook.body.includes(id) && (!type || hook.event.event_type === type));
  }

  private async listenForWebhooks(): Promise<number> {
    const certificates = new Map<string, string>();
    this.receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const header = (name: string) => String(request.headers[name] ?? "");
        const certUrl = header("paypal-cert-url");
        // A delivery racing a restart may name a port already closed: then it does not verify.
        const pem =
          certificates.get(certUrl) ??
          (await fetch(certUrl).then(
            (r) => r.text(),
            () => "",
          ));
        if (pem) certificates.set(certUrl, pem);
        const verified = await verifyPayPalSignature({
          transmissionId: header("paypal-transmission-id"),
          transmissionTime: header("paypal-transmission-time"),
          webhookId: DEV_WEBHOOK_ID,
          body,
          signature: header("paypal-transmission-sig"),
          certificatePem: pem,
        });
        this.received.push({ headers: request.headers, body, event: JSON.parse(body), verified });
        response.writeHead(this.answerStatus).end();
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
