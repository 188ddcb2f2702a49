/** The aggregator simulator as a process (`npm start` runs it): ports, data directory and secrets from the environment. */

import { startAggregatorSimulator } from "./aggregator-simulator.js";
import { aggregatorConfigSchema } from "./config.js";

const config = aggregatorConfigSchema.parse(process.env);

const simulator = await startAggregatorSimulator({
  port: config.AGGREGATOR_PORT,
  adminPort: config.AGGREGATOR_ADMIN_PORT,
  dataDir: config.AGGREGATOR_DATA_DIR ?? null,
  secretKey: config.AGGREGATOR_SECRET_KEY,
  webhook: config.AGGREGATOR_WEBHOOK_URL
    ? { url: config.AGGREGATOR_WEBHOOK_URL, secret: config.AGGREGATOR_WEBHOOK_SECRET }
    : null,
  latencyMs: config.AGGREGATOR_LATENCY_MS,
  reportToken: config.AGGREGATOR_REPORT_TOKEN ?? null,
});
// The keys stay out of the log: `npm start` writes the secret key to .data/dev.json only.
console.log(
  JSON.stringify({
    level: "info",
    message: "aggregator simulator listening",
    api: simulator.url,
    admin: simulator.adminUrl,
    webhooks: config.AGGREGATOR_WEBHOOK_URL ?? null,
  }),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void simulator.stop().finally(() => process.exit(0));
  });
}
