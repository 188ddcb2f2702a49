/**
 * The wallet's settings per mode (issue 15), optional: a mode without them takes no wallet
 * payments. `WALLET_*` is test mode (the wallet simulator, DESIGN invariant 6), `LIVE_WALLET_*`
 * live mode. The API URL and webhook id are vars, the client id and secret secrets. When a name
 * moves into wrangler.toml's `vars`, `wrangler types` declares it (as a required string) in
 * worker-configuration.d.ts, and its line here must go: the two declarations would conflict.
 */
declare namespace Cloudflare {
  interface Env {
    /** The wallet's REST API origin in test mode (`http://127.0.0.1:8597` in development). */
    WALLET_API_URL?: string;
    /** The REST app's client id, test mode (OAuth 2.0 client credentials). */
    WALLET_CLIENT_ID?: string;
    /** The REST app's client secret, test mode. */
    WALLET_CLIENT_SECRET?: string;
    /** The webhook (subscription) id the wallet signs its test-mode webhooks for. */
    WALLET_WEBHOOK_ID?: string;
    /** The same four for live mode. */
    LIVE_WALLET_API_URL?: string;
    LIVE_WALLET_CLIENT_ID?: string;
    LIVE_WALLET_CLIENT_SECRET?: string;
    LIVE_WALLET_WEBHOOK_ID?: string;
  }
}
