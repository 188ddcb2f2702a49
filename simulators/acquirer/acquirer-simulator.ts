import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createAdminApi } from "./admin-api.js";
import type { BinCoverage } from "./bin-coverage.js";
import { Chargebacks, type NotifyTarget } from "./chargebacks.js";
import { writeClearingFile } from "./clearing-file.js";
import { DeclineShare } from "./decline-share.js";
import { type Discrepancies, NO_DISCREPANCIES } from "./discrepancies.js";
import { type FaultState, noFault } from "./faults.js";
import { IsoServer, type IsoServerTls } from "./iso-server.js";
import { IssuerHost } from "./issuer-host.js";
import { Ledger } from "./ledger.js";

export interface SimulatorOptions {
  /** Whose books these are (`acquirer_a`, `acquirer_b`): in /health and on every ledger entry. */
  name?: string;
  /** The BIN prefixes it has a route for; others get 92. Unset or null: every card. */
  bins?: BinCoverage;
  isoPort: number;
  adminPort: number;
  dataDir: string | null;
  network?: string;
  latencyMs?: number;
  /** Where chargeback advices go (the connector service), signed with the shared secret. */
  chargebackNotify?: NotifyTarget | null;
  /** With a certificate, the ISO 8583 port speaks TLS only. */
  tls?: IsoServerTls | null;
  /** The bearer token its clearing files are pulled with (`GET /reports/clearing/{day}`); unset: none published. */
  reportToken?: string | null;
  /** Where its merchants are (ISO 3166-1 alpha-2), for the fees in its clearing files: US unless told. */
  country?: string;
}

export interface RunningSimulator {
  name: string;
  isoPort: number;
  /** Whether the ISO 8583 port speaks TLS. */
  tls: boolean;
  adminUrl: string;
  ledger: Ledger;
  stop(): Promise<void>;
}

/** Starts the acquirer simulator: the ISO 8583 TCP host and its HTTP admin API. */
export async function startAcquirerSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const name = options.name ?? "acquirer";
  const coverage = options.bins ?? null;
  const ledger = new Ledger(options.dataDir ? join(options.dataDir, "acquirer-ledger.ndjson") : null, name);
  let faults: FaultState = noFault();
  const declineShare = new DeclineShare(() => faults);
  const iso = new IsoServer(
    new IssuerHost(ledger, options.network ?? "acquirer", {
      coverage,
      forcedDecline: (mti) => declineShare.next(mti),
    }),
    () => faults,
    options.isoPort,
    "127.0.0.1",
    options.tls ?? null,
  );
  iso.latencyMs = options.latencyMs ?? 0;
  const isoPort = await iso.listen();
  const clearingDir = join(options.dataDir ?? ".", "clearing");
  const country = options.country ?? "US";
  let discrepancies: Discrepancies = NO_DISCREPANCIES;
  const admin = createAdminApi({
    name,
    country,
    reportToken: options.reportToken ?? null,
    discrepancies: {
      get: () => discrepancies,
      set: (next) => {
        discrepancies = next;
      },
    },
    coverage,
    ledger,
    iso,
    faults: {
      get: () => faults,
      set: (state) => {
        faults = state;
        declineShare.restart();
      },
    },
    clearingDir,
    chargebacks: new Chargebacks(options.chargebackNotify ?? null),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: admin.fetch, hostname: "127.0.0.1", port: options.adminPort }, () =>
      resolve(started),
    );
  });
  const address = server.address();
  const adminPort = typeof address === "object" && address ? address.port : options.adminPort;

  // The daily clearing file, written just after midnight UTC for the day that ended.
  const clearingTimer = setInterval(() => {
    const now = new Date();
    if (now.getUTCHours() === 0 && now.getUTCMinutes() === 5 && options.dataDir) {
      const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
      writeClearingFile(clearingDir, ledger.all(), yesterday, { acquirer: name, country, discrepancies });
    }
  }, 60_000);
  clearingTimer.unref();

  return {
    name,
    isoPort,
    tls: Boolean(options.tls),
    adminUrl: `http://127.0.0.1:${adminPort}`,
    ledger,
    async stop() {
      clearInterval(clearingTimer);
      await iso.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
