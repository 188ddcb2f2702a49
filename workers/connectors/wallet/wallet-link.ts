import { hostAddress, isLoopbackAddress } from "../../net/special-addresses.js";

/**
 * Where a mode's wallet payments go and the credentials they travel under (DESIGN invariant 6:
 * test mode reaches only the simulator). Each mode has its own REST app (client id and secret,
 * OAuth 2.0 client credentials) and its own webhook subscription, whose id PayPal's signatures
 * cover; a mode missing any of them has no wallet, and its payments are refused before anything
 * is sent.
 */
export interface WalletLink {
  livemode: boolean;
  /** The API's base URL, without a trailing slash (`https://api-m.paypal.com`, or the simulator). */
  url: string;
  clientId: string;
  clientSecret: string;
  webhookId: string;
}

/**
 * The settings the link is made from (declared on `Env` in wallet-env.d.ts). Structural, so the
 * worker passes its `Env` and a Node test a plain object.
 */
export interface WalletEnv {
  WALLET_API_URL?: string;
  WALLET_CLIENT_ID?: string;
  WALLET_CLIENT_SECRET?: string;
  WALLET_WEBHOOK_ID?: string;
  LIVE_WALLET_API_URL?: string;
  LIVE_WALLET_CLIENT_ID?: string;
  LIVE_WALLET_CLIENT_SECRET?: string;
  LIVE_WALLET_WEBHOOK_ID?: string;
}

/** `localhost` and its subdomains (RFC 6761 §6.3), 127.0.0.0/8 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  const address = hostAddress(hostname);
  if (address) return isLoopbackAddress(address);
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host.endsWith(".localhost");
}

/**
 * The API URL as the client uses it, or null when it is not one the client secret may be sent to:
 * https, or http on a loopback host (the simulator in development). No credentials, query or
 * fragment in it.
 */
function apiUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  if (!secure || url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The mode's link, or null when that mode has no wallet configured (or its API URL is not usable). */
export function walletLink(env: WalletEnv, livemode: boolean): WalletLink | null {
  const settings = livemode
    ? [env.LIVE_WALLET_API_URL, env.LIVE_WALLET_CLIENT_ID, env.LIVE_WALLET_CLIENT_SECRET, env.LIVE_WALLET_WEBHOOK_ID]
    : [env.WALLET_API_URL, env.WALLET_CLIENT_ID, env.WALLET_CLIENT_SECRET, env.WALLET_WEBHOOK_ID];
  const [url, clientId, clientSecret, webhookId] = settings;
  if (!url || !clientId || !clientSecret || !webhookId) return null;
  const base = apiUrl(url);
  return base ? { livemode, url: base, clientId, clientSecret, webhookId } : null;
}

/** Whether the mode can take wallet payments at all. */
export function walletConfigured(env: WalletEnv, livemode: boolean): boolean {
  return walletLink(env, livemode) !== null;
}

/** Whether the link leads to this machine (the simulator in development): its origin may serve webhook certificates. */
export function isLocalLink(link: WalletLink): boolean {
  return isLoopbackHost(new URL(link.url).hostname);
}
