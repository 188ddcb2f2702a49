/**
 * Secrets a deployment may leave unset (`wrangler types` lists only the required ones): each
 * turns a capability on. Without a mode's UPI signing key, that mode takes no UPI payments.
 */
declare namespace Cloudflare {
  interface Env {
    /** The gateway's private JWK (RSA) it signs its UPI requests with in test mode, as a PSP registered at the switch. */
    UPI_PSP_SIGNING_KEY?: string;
    /** The same for live mode, registered at the live switch. */
    LIVE_UPI_PSP_SIGNING_KEY?: string;
  }
}
