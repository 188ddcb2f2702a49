/**
 * The bearer tokens reconciliation pulls each processor's daily file with (issue 16 item 3), per
 * mode: `RECON_<PROCESSOR>_TOKEN` for test mode (the simulators; `npm start` makes them),
 * `LIVE_RECON_<PROCESSOR>_TOKEN` for live mode. Secrets a deployment may leave unset: without a
 * mode's token (or its `..._URL` var) that processor's files are not pulled in that mode.
 * `wrangler types` declares the development environment's required ones the same way.
 */
declare namespace Cloudflare {
  interface Env {
    RECON_ACQUIRER_A_TOKEN?: string;
    RECON_ACQUIRER_B_TOKEN?: string;
    RECON_AGGREGATOR_TOKEN?: string;
    RECON_UPI_SWITCH_TOKEN?: string;
    RECON_PAYPAL_TOKEN?: string;
    LIVE_RECON_ACQUIRER_A_TOKEN?: string;
    LIVE_RECON_ACQUIRER_B_TOKEN?: string;
    LIVE_RECON_AGGREGATOR_TOKEN?: string;
    LIVE_RECON_UPI_SWITCH_TOKEN?: string;
    LIVE_RECON_PAYPAL_TOKEN?: string;
  }
}
