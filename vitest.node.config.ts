import { defineConfig } from "vitest/config";
import { wranglerEnv } from "./scripts/lib/wrangler-env.js";

Object.assign(process.env, wranglerEnv());

/**
 * Node-side tiers: migrations against real Postgres, the vault service, the scripts, browser
 * tokenization in Chromium, and the end-to-end test that boots the same stack `npm start` boots.
 * One file at a time: the end-to-end test alone runs Postgres, workerd and the vault on a 2-core
 * machine.
 */
export default defineConfig({
  test: {
    name: "node",
    include: [
      "test/node/**/*.test.ts",
      "test/browser/**/*.test.ts",
      "test/e2e/**/*.test.ts",
      "test/security/stack/**/*.test.ts",
      "vault-service/**/*.test.ts",
      "scripts/**/*.test.ts",
      "simulators/**/*.test.ts",
    ],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
