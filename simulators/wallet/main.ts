/** The wallet simulator as a process (`npm start` runs it): ports, credentials, webhook target and timers from the environment. */

import { walletConfigSchema } from "./config.js";
import { startWalletSimulator } from "./wallet-simulator.js";

const config = walletConfigSchema.parse(process.env);

const simulator = await startWalletSimulator({
  port: config.WALLET_PORT,
  adminPort: config.WALLET_ADMIN_PORT,
  dataDir: config.WALLET_DATA_DIR ?? null,
  clientId: config.WALLET_CLIENT_ID,
  clientSecret: config.WALLET_CLIENT_SECRET,
  webhookUrl: config.WALLET_WEBHOOK_URL ?? null,
  webhookId: config.WALLET_WEBHOOK_ID,
  orderExpiryMs: config.WALLET_ORDER_EXPIRY_MS,
  pendingCaptureMs: config.WALLET_PENDING_CAPTURE_MS,
  tokenTtlSeconds: config.WALLET_TOKEN_TTL_SECONDS,
  reportToken: config.WALLET_REPORT_TOKEN ?? null,
  log: (line) => console.log(JSON.stringify(line)),
});
// The client secret stays out of the log.
console.log(
  JSON.stringify({
    level: "info",
    message: "wallet simulator listening",
    api: simulator.url,
    approval: `${simulator.url}/checkoutnow`,
    admin: simulator.adminUrl,
    webhooks: config.WALLET_WEBHOOK_URL ?? null,
  }),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void simulator.stop().finally(() => process.exit(0));
  });
}
