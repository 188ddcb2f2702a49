import { join } from "node:path";
import { PROJECT_ROOT } from "./start-config.js";

/**
 * Environment for every wrangler invocation: no telemetry (it would try the network) and
 * wrangler's own files (logs, dev registry) inside the project rather than in ~/.config.
 */
export function wranglerEnv(): Record<string, string> {
  return {
    WRANGLER_SEND_METRICS: "false",
    // Miniflare otherwise downloads a sample `request.cf` object from the internet at start.
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    XDG_CONFIG_HOME: join(PROJECT_ROOT, ".config"),
    WRANGLER_LOG_PATH: join(PROJECT_ROOT, ".config", "wrangler-logs"),
  };
}
