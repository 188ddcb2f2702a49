/** The UPI switch simulator as a process (`npm start` runs it): ports, keys, callback URL and timers from the environment. */

import { upiSwitchConfigSchema } from "./config.js";
import { startUpiSwitchSimulator } from "./upi-switch-simulator.js";

const config = upiSwitchConfigSchema.parse(process.env);

const simulator = await startUpiSwitchSimulator({
  port: config.UPI_SWITCH_PORT,
  adminPort: config.UPI_SWITCH_ADMIN_PORT,
  dataDir: config.UPI_SWITCH_DATA_DIR ?? null,
  signingKey: config.UPI_SWITCH_SIGNING_KEY,
  pspJwks: config.UPI_PSP_JWKS,
  callbackUrl: config.UPI_PSP_CALLBACK_URL?.replace(/\/+$/, "") ?? null,
  timers: {
    payerDelayMs: config.UPI_PAYER_DELAY_MS,
    slowCallbackMs: config.UPI_SLOW_CALLBACK_MS,
    testExpiryMs: config.UPI_TEST_EXPIRY_MS,
    reversalDelayMs: config.UPI_REVERSAL_DELAY_MS,
    deemedResolveMs: config.UPI_DEEMED_RESOLVE_MS,
  },
  maxRequestAgeMs: config.UPI_MAX_REQUEST_AGE_MS,
  txnLimitPaise: config.UPI_TXN_LIMIT_PAISE,
  reportToken: config.UPI_SWITCH_REPORT_TOKEN ?? null,
});
// The keys stay out of the log.
console.log(
  JSON.stringify({
    level: "info",
    message: "upi switch simulator listening",
    api: simulator.url,
    payer: `${simulator.url}/payer`,
    admin: simulator.adminUrl,
    callbacks: config.UPI_PSP_CALLBACK_URL ?? null,
  }),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void simulator.stop().finally(() => process.exit(0));
  });
}
