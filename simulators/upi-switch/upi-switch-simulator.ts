import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_UPI_MESSAGE_BYTES } from "../../common/upi/upi-fields.js";
import { importUpiSigningKey, importUpiVerifyKeys } from "../../common/upi/upi-signature.js";
import { createAdminApi, type SwitchControls } from "./admin-api.js";
import { Callbacks } from "./callbacks.js";
import { noFault } from "./faults.js";
import { Ledger } from "./ledger.js";
import { createPayerPage } from "./payer-page.js";
import { NO_SETTLEMENT_DISCREPANCIES } from "./settlement-file.js";
import { createSwitchApi } from "./switch-api.js";
import { SwitchEngine, type SwitchTimers } from "./switch-engine.js";
import { WireServer } from "./wire-server.js";

export interface UpiSwitchOptions {
  port: number;
  adminPort: number;
  dataDir: string | null;
  /** The switch's private JWK (JSON, with kid): it signs every answer and callback. */
  signingKey: string;
  /** The gateway's public JWKS: requests must be signed by one of its keys. */
  pspJwks: string;
  /** Where RespPay callbacks go (`{url}/RespPay/2.0/urn:txnid:{id}`); null sends none. */
  callbackUrl: string | null;
  timers: SwitchTimers;
  maxRequestAgeMs: number;
  txnLimitPaise: number;
  /** Waits between callback attempts (tests shorten them). */
  callbackRetryMs?: readonly number[];
  /** The bearer token its settlement files are pulled with (`GET /reports/settlement/{day}`); unset: none published. */
  reportToken?: string | null;
}

export interface RunningUpiSwitch {
  port: number;
  url: string;
  adminUrl: string;
  ledger: Ledger;
  stop(): Promise<void>;
}

/** Starts the NPCI-style UPI switch simulator: its UPI API and payer page, and, on its own port, its admin API. */
export async function startUpiSwitchSimulator(options: UpiSwitchOptions): Promise<RunningUpiSwitch> {
  const signer = await importUpiSigningKey(options.signingKey);
  const pspKeys = await importUpiVerifyKeys(options.pspJwks);
  const ledger = new Ledger(options.dataDir ? join(options.dataDir, "upi-switch-ledger.jsonl") : null);
  const controls: SwitchControls = {
    faults: noFault(),
    creditLeg: "ok",
    callbackMode: "deliver",
    discrepancies: NO_SETTLEMENT_DISCREPANCIES,
  };
  const callbacks = new Callbacks({
    url: options.callbackUrl,
    signer,
    ledger,
    mode: () => controls.callbackMode,
    ...(options.callbackRetryMs ? { retryMs: options.callbackRetryMs } : {}),
  });
  const engine = new SwitchEngine(ledger, callbacks, options.timers, () => controls.creditLeg);
  const app = new Hono()
    .use("/upi/*", bodyLimit({ maxSize: MAX_UPI_MESSAGE_BYTES + 4096, onError: (c) => c.text("too large", 413) }))
    .route(
      "/",
      createSwitchApi({
        ledger,
        engine,
        signer,
        pspKeys,
        limitPaise: options.txnLimitPaise,
        maxRequestAgeMs: options.maxRequestAgeMs,
      }),
    )
    .route("/", createPayerPage({ ledger, engine }));
  const wire = new WireServer(app.fetch, () => controls.faults, options.port);
  const port = await wire.listen();
  engine.resume();
  const admin = createAdminApi({
    ledger,
    wire,
    callbacks,
    controls,
    dataDir: options.dataDir,
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
    url: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    ledger,
    async stop() {
      engine.stop();
      callbacks.stop();
      await wire.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections too: a client must not reuse one across a restart.
      if ("closeAllConnections" in server) server.closeAllConnections();
      await closed;
    },
  };
}
