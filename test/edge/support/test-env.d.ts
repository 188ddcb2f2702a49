// Bindings only the test pool adds (see vitest.edge.config.ts).
declare namespace Cloudflare {
  interface Env {
    TEST_OPS_CLIENT_ID: string;
    TEST_READ_ONLY_OPS_CLIENT_ID: string;
    TEST_OPS_CLIENT_SECRET: string;
    TEST_READ_ONLY_OPS_CLIENT_SECRET: string;
  }
}
