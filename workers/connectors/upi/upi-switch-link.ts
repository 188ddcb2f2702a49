import { importUpiSigningKey, importUpiVerifyKeys } from "../../../common/upi/upi-signature.js";

/**
 * Where a mode's UPI payments go and the keys they travel under (DESIGN invariant 6: test mode
 * reaches only the simulator). Each mode has its own switch URL, its own signing key (the
 * gateway's, as a PSP registered with the switch) and the switch's public keys; a mode missing
 * any of them has no UPI, and its payments are refused before anything is sent.
 */
export interface UpiSwitchLink {
  url: string;
  signer: { key: CryptoKey; kid: string };
  switchKeys: Map<string, CryptoKey>;
  /** The payee handle of merchants' VPAs here (`<merchant>@<handle>`). */
  payeeHandle: string;
}

type UpiEnv = Pick<
  Env,
  | "UPI_SWITCH_URL"
  | "UPI_SWITCH_JWKS"
  | "UPI_PSP_SIGNING_KEY"
  | "LIVE_UPI_SWITCH_URL"
  | "LIVE_UPI_SWITCH_JWKS"
  | "LIVE_UPI_PSP_SIGNING_KEY"
  | "UPI_PAYEE_HANDLE"
>;

/** Imported keys per isolate, by the configuration they came from (imports are slow; config rarely changes). */
const links = new Map<string, Promise<UpiSwitchLink>>();

/** The mode's link, or null when that mode has no UPI configured. */
export function upiSwitchLink(env: UpiEnv, livemode: boolean): Promise<UpiSwitchLink> | null {
  const url = livemode ? env.LIVE_UPI_SWITCH_URL : env.UPI_SWITCH_URL;
  const jwks = livemode ? env.LIVE_UPI_SWITCH_JWKS : env.UPI_SWITCH_JWKS;
  const signingKey = livemode ? env.LIVE_UPI_PSP_SIGNING_KEY : env.UPI_PSP_SIGNING_KEY;
  if (!url || !jwks || !signingKey) return null;
  const cacheKey = `${livemode}\n${url}\n${jwks}\n${signingKey}`;
  let link = links.get(cacheKey);
  if (!link) {
    link = (async () => ({
      url: url.replace(/\/$/, ""),
      signer: await importUpiSigningKey(signingKey),
      switchKeys: await importUpiVerifyKeys(jwks),
      payeeHandle: env.UPI_PAYEE_HANDLE || "gwy",
    }))();
    // A bad key must not stay cached as a rejected promise: the next call tries again.
    link.catch(() => links.delete(cacheKey));
    links.set(cacheKey, link);
  }
  return link;
}

/** Whether the mode can take UPI payments at all (its switch, keys and the switch's keys are set). */
export function upiConfigured(env: UpiEnv, livemode: boolean): boolean {
  return upiSwitchLink(env, livemode) !== null;
}
