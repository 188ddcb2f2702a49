import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { type RunningAggregator, startAggregatorSimulator } from "../../simulators/aggregator/aggregator-simulator.js";

export const SECRET_KEY = "sk_test_aggregator_simulator_test_key";
export const WEBHOOK_SECRET = "whsec_aggregator_simulator_test_secret";
export const AMEX = "378282246310005";

export interface Delivery {
  body: string;
  signature: string;
}

/**
 * One aggregator simulator for a test file, driven by the official `stripe` client pointed at it
 * by `host`, `port` and `protocol` alone (what works here works against the real service), with
 * a webhook receiver that refuses each event's first delivery, so every event is retried once.
 * Registers the file's hooks; faults are healed after each test.
 */
export function useAggregatorSimulator() {
  const refusedOnce = new Set<string>();
  let receiver: Server | undefined;
  const kit = {
    simulator: undefined as unknown as RunningAggregator,
    stripe: undefined as unknown as Stripe,
    dataDir: "",
    deliveries: [] as Delivery[],

    client(key: string, options: Partial<Stripe.StripeConfig> = {}): Stripe {
      return new Stripe(key, {
        host: "127.0.0.1",
        port: kit.simulator.port,
        protocol: "http",
        maxNetworkRetries: 0,
        ...options,
      });
    },

    async setFaults(body: object): Promise<void> {
      const response = await fetch(`${kit.simulator.adminUrl}/faults`, { method: "PUT", body: JSON.stringify(body) });
      expect(response.status).toBe(200);
    },

    async ledgerEntry(id: string): Promise<Record<string, any> | undefined> {
      const response = await fetch(`${kit.simulator.adminUrl}/ledger?payment_intent=${id}`);
      return ((await response.json()) as { entries: Record<string, any>[] }).entries[0];
    },
  };

  beforeAll(async () => {
    kit.dataDir = mkdtempSync(join(tmpdir(), "aggregator-"));
    const server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        const eventId = (JSON.parse(body) as { id: string }).id;
        if (!refusedOnce.has(eventId)) {
          refusedOnce.add(eventId);
          response.writeHead(500).end();
          return;
        }
        kit.deliveries.push({ body, signature: String(request.headers["stripe-signature"]) });
        response.writeHead(200).end();
      });
    });
    receiver = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const receiverPort = typeof address === "object" && address ? address.port : 0;
    kit.simulator = await startAggregatorSimulator({
      port: 0,
      adminPort: 0,
      dataDir: kit.dataDir,
      secretKey: SECRET_KEY,
      webhook: { url: `http://127.0.0.1:${receiverPort}/stripe`, secret: WEBHOOK_SECRET },
      webhookRetryMs: [20, 50],
    });
    kit.stripe = kit.client(SECRET_KEY);
  });

  afterAll(async () => {
    await kit.simulator?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    if (kit.dataDir) rmSync(kit.dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await kit.setFaults({ mode: "none", routes: "all" });
  });

  return kit;
}

/** A confirmed card PaymentIntent. The client's types leave raw card details out; the wire takes them. */
export function cardPayment(number: string, extra: Record<string, unknown> = {}): Stripe.PaymentIntentCreateParams {
  return {
    amount: 5000,
    currency: "usd",
    confirm: true,
    // Amex prints a 4-digit code, the others 3.
    payment_method_data: {
      type: "card",
      card: { number, exp_month: 12, exp_year: 2034, cvc: number === AMEX ? "1234" : "123" },
    },
    ...extra,
  } as Stripe.PaymentIntentCreateParams;
}

/** The error a call failed with (the test fails if it succeeded). */
export async function caught(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => expect.fail("expected the call to fail"),
    (error: unknown) => error,
  );
}

export async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
