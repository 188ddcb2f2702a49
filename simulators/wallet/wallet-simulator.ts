import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createAdminApi, type WalletControls } from "./admin-api.js";
import { createApprovalPage } from "./approval-page.js";
import { Books } from "./books.js";
import { loadOrCreateCertificate } from "./certificate.js";
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_WEBHOOK_ID } from "./config.js";
import { noFault } from "./faults.js";
import { RequestIds } from "./idempotency.js";
import { AccessTokens } from "./oauth.js";
import { Orders } from "./orders.js";
import { Payments } from "./payments.js";
import { createPayPalApi } from "./paypal-api.js";
import { NO_STL_DISCREPANCIES } from "./settlement-report.js";
import { WalletEvents } from "./wallet-events.js";
import { WalletTimers } from "./wallet-timers.js";
import { Webhooks } from "./webhooks.js";
import { WireServer } from "./wire-server.js";

export interface WalletOptions {
  port: number;
  adminPort: number;
  dataDir: string | null;
  clientId?: string;
  clientSecret?: string;
  /** Where webhooks go; null sends none. */
  webhookUrl: string | null;
  webhookId?: string;
  orderExpiryMs: number;
  pendingCaptureMs: number;
  tokenTtlSeconds?: number;
  /** Waits between webhook attempts (tests shorten them). */
  webhookRetryMs?: readonly number[];
  log?: (line: object) => void;
  /** The bearer token its settlement reports are pulled with (`GET /reports/settlement/{day}`); unset: none published. */
  reportToken?: string | null;
}

export interface RunningWallet {
  port: number;
  /** The API's base URL (and the approval page's, and the certificates'). */
  url: string;
  adminUrl: string;
  books: Books;
  webhooks: Webhooks;
  stop(): Promise<void>;
}

/** Starts the PayPal-style wallet simulator: its API and approval page, and, on its own port, its admin API. */
export async function startWalletSimulator(options: WalletOptions): Promise<RunningWallet> {
  const file = (name: string) => (options.dataDir ? join(options.dataDir, name) : null);
  let url = "";
  const base = () => url;
  const books = new Books(file("wallet-books.jsonl"));
  const controls: WalletControls = { faults: noFault(), webhooks: "deliver", discrepancies: NO_STL_DISCREPANCIES };
  const certificate = loadOrCreateCertificate(options.dataDir);
  const webhooks = new Webhooks({
    url: options.webhookUrl,
    webhookId: options.webhookId ?? DEV_WEBHOOK_ID,
    certificate,
    base,
    mode: () => controls.webhooks,
    ...(options.webhookRetryMs ? { retryMs: options.webhookRetryMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const timers = new WalletTimers();
  const deps = { books, events: new WalletEvents(webhooks, base), timers, base, ...options };
  const orders = new Orders(deps);
  const payments = new Payments(deps, orders);
  const api = createPayPalApi({
    tokens: new AccessTokens(
      options.clientId ?? DEV_CLIENT_ID,
      options.clientSecret ?? DEV_CLIENT_SECRET,
      options.tokenTtlSeconds ?? 32_400,
    ),
    requestIds: new RequestIds(file("wallet-request-ids.jsonl")),
    orders,
    payments,
    certificate,
    base,
  });
  const app = new Hono()
    .use(
      bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ name: "INVALID_REQUEST", message: "too large" }, 413) }),
    )
    .route("/", createApprovalPage(orders))
    .route("/", api);
  const wire = new WireServer(app.fetch, () => controls.faults, options.port);
  const port = await wire.listen();
  url = `http://127.0.0.1:${port}`;
  orders.resume();
  const admin = createAdminApi({
    books,
    orders,
    webhooks,
    wire,
    controls,
    reportToken: options.reportToken ?? null,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: admin.fetch, hostname: "127.0.0.1", port: options.adminPort }, () =>
      resolve(started),
    );
  });
  const address = server.address();
  const adminPort = typeof address === "object" && address ? address.port : options.adminPort;

  return {
    port,
    url,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    books,
    webhooks,
    async stop() {
      timers.stop();
      webhooks.stop();
      await wire.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections too: a client must not reuse one across a restart.
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
    },
  };
}
