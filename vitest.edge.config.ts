// First: the pool's Miniflare (in this process) emulates Hyperdrive with a TCP proxy; see the module.
import "./scripts/lib/socket-no-delay.mjs";
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { wranglerEnv } from "./scripts/lib/wrangler-env.js";
import { checkLogLine } from "./test/support/secret-scan.js";

Object.assign(process.env, wranglerEnv());

const local = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Edge tests run inside workerd (the Workers runtime) with the bindings of wrangler.toml; the
 * Hyperdrive binding points at the real Postgres the global setup starts.
 */
export default defineConfig({
  plugins: [
    cloudflareTest(async ({ inject }) => {
      process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = inject("databaseUrl");
      return {
        main: "./workers/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            API_KEY_PEPPER: inject("apiKeyPepper"),
            OAUTH_SIGNING_KEYS: inject("oauthSigningKeys"),
            VAULT_SIGNING_KEY: inject("vaultSigningKey"),
            WEBHOOK_SECRETS_KEY: inject("webhookSecretsKey"),
            DASHBOARD_SESSION_SECRET: inject("dashboardSessionSecret"),
            // No vault in this tier: every call to it is lost (connection refused), the case the
            // payment object must survive. The end-to-end tier runs the real vault.
            VAULT_URL: "http://127.0.0.1:9",
            // As under `npm start`: the webhook tests' receivers are on loopback over http. The
            // attack tests (test/security/webhook-ssrf.test.ts) call the Worker with it "off".
            WEBHOOK_LOCAL_RECEIVERS: "on",
            TEST_OPS_CLIENT_ID: inject("opsClientId"),
            TEST_READ_ONLY_OPS_CLIENT_ID: inject("readOnlyOpsClientId"),
            TEST_OPS_CLIENT_SECRET: inject("opsClientSecret"),
            TEST_READ_ONLY_OPS_CLIENT_SECRET: inject("readOnlyOpsClientSecret"),
          },
          hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
        },
      };
    }),
  ],
  resolve: {
    // pg's ESM entry points fail under the pool; their CommonJS builds load fine.
    alias: {
      "pg-protocol": local("./node_modules/pg-protocol/dist/index.js"),
      "pg-cloudflare": local("./node_modules/pg-cloudflare/dist/index.js"),
    },
  },
  test: {
    name: "edge",
    // test/security: the attack suite (issue 12), each test an outsider's attempt through the API
    // (test/security/stack/ attacks the whole `npm start` stack, in the Node tier).
    include: [
      "workers/**/*.test.ts",
      "durable-objects/**/*.test.ts",
      // Shared with the Node side, run where the strictest runtime is: UPI's XML and signatures in workerd.
      "common/**/*.test.ts",
      "test/edge/**/*.test.ts",
      "test/security/*.test.ts",
    ],
    globalSetup: ["./test/support/edge-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every console line the Worker writes during the run is scanned; the global setup's
    // teardown fails the run if any carried a secret.
    onConsoleLog(line) {
      checkLogLine(line);
    },
  },
});
