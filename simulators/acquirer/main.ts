/** The acquirer simulator as a process (`npm start` runs it): ports and data directory from the environment. */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { startAcquirerSimulator } from "./acquirer-simulator.js";

const config = z
  .object({
    ACQUIRER_ISO_PORT: z.coerce.number().int().min(0).max(65535).default(8583),
    ACQUIRER_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(8584),
    ACQUIRER_DATA_DIR: z.string().optional(),
    ACQUIRER_LATENCY_MS: z.coerce.number().int().min(0).default(0),
    /** The connector service's chargeback endpoint and the secret advices are signed with. */
    CHARGEBACK_NOTIFY_URL: z.string().url().optional(),
    ACQUIRER_NOTIFY_SECRET: z.string().min(40).optional(),
    /** With both, the ISO 8583 port speaks TLS only (PEM files). */
    ACQUIRER_TLS_CERT_FILE: z.string().min(1).optional(),
    ACQUIRER_TLS_KEY_FILE: z.string().min(1).optional(),
  })
  .refine((c) => (c.ACQUIRER_TLS_CERT_FILE === undefined) === (c.ACQUIRER_TLS_KEY_FILE === undefined), {
    message: "set both ACQUIRER_TLS_CERT_FILE and ACQUIRER_TLS_KEY_FILE, or neither",
  })
  .parse(process.env);

const simulator = await startAcquirerSimulator({
  isoPort: config.ACQUIRER_ISO_PORT,
  adminPort: config.ACQUIRER_ADMIN_PORT,
  dataDir: config.ACQUIRER_DATA_DIR ?? null,
  latencyMs: config.ACQUIRER_LATENCY_MS,
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
