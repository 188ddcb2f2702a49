/** The acquirer simulator as a process (`npm start` runs it): ports and data directory from the environment. */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { startAcquirerSimulator } from "./acquirer-simulator.js";
import { parseBinCoverage } from "./bin-coverage.js";

const config = z
  .object({
    /** Whose books (`acquirer_a`, `acquirer_b`): shown in /health and on every ledger entry. */
    ACQUIRER_NAME: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/)
      .default("acquirer"),
    /** BIN prefixes it routes, comma-separated; unset: every card (others get 92, no route). */
    ACQUIRER_BINS: z.string().optional(),
    ACQUIRER_ISO_PORT: z.coerce.number().int().min(0).max(65535).default(8583),
    ACQUIRER_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(8584),
    ACQUIRER_DATA_DIR: z.string().optional(),
    ACQUIRER_LATENCY_MS: z.coerce.number().int().min(0).default(0),
    /** The connector service's chargeback endpoint and the secret advices are signed with. */
    CHARGEBACK_NOTIFY_URL: z.string().url().optional(),
    ACQUIRER_NOTIFY_SECRET: z.string().min(40).optional(),
    /** The bearer token the gateway pulls clearing files with; unset: none are published. */
    ACQUIRER_REPORT_TOKEN: z.string().min(16).optional(),
    /** Where its merchants are (ISO 3166-1 alpha-2): a card issued elsewhere clears at the international fee. */
    ACQUIRER_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default("US"),
    /** With both, the ISO 8583 port speaks TLS only (PEM files). */
    ACQUIRER_TLS_CERT_FILE: z.string().min(1).optional(),
    ACQUIRER_TLS_KEY_FILE: z.string().min(1).optional(),
  })
  .refine((c) => (c.ACQUIRER_TLS_CERT_FILE === undefined) === (c.ACQUIRER_TLS_KEY_FILE === undefined), {
    message: "set both ACQUIRER_TLS_CERT_FILE and ACQUIRER_TLS_KEY_FILE, or neither",
  })
  .parse(process.env);

const simulator = await startAcquirerSimulator({
  name: config.ACQUIRER_NAME,
  bins: parseBinCoverage(config.ACQUIRER_BINS),
  isoPort: config.ACQUIRER_ISO_PORT,
  adminPort: config.ACQUIRER_ADMIN_PORT,
  dataDir: config.ACQUIRER_DATA_DIR ?? null,
  latencyMs: config.ACQUIRER_LATENCY_MS,
  reportToken: config.ACQUIRER_REPORT_TOKEN ?? null,
  country: config.ACQUIRER_COUNTRY,
  chargebackNotify:
    config.CHARGEBACK_NOTIFY_URL && config.ACQUIRER_NOTIFY_SECRET
      ? { url: config.CHARGEBACK_NOTIFY_URL, secret: config.ACQUIRER_NOTIFY_SECRET }
      : null,
  tls:
    config.ACQUIRER_TLS_CERT_FILE && config.ACQUIRER_TLS_KEY_FILE
      ? {
          cert: readFileSync(config.ACQUIRER_TLS_CERT_FILE, "utf8"),
          key: readFileSync(config.ACQUIRER_TLS_KEY_FILE, "utf8"),
        }
      : null,
});
console.log(
  JSON.stringify({
    level: "info",
    message: "acquirer simulator listening",
    name: simulator.name,
    iso_port: simulator.isoPort,
    iso_tls: simulator.tls,
    admin: simulator.adminUrl,
  }),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void simulator.stop().finally(() => process.exit(0));
  });
}
