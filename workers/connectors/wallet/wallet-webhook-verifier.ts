import { withDeadline } from "../../../common/deadline-signal.js";
import {
  PAYPAL_AUTH_ALGO,
  PAYPAL_WEBHOOK_HEADERS,
  verifyPayPalSignature,
} from "../../../common/wallet/paypal-webhook-signature.js";
import { log } from "../../logging/logger.js";
import { errorMessage, parseJson, readBody } from "./wallet-http.js";
import { isLocalLink, type WalletLink } from "./wallet-link.js";
import {
  authorizationSchema,
  captureSchema,
  orderSchema,
  refundSchema,
  type WalletAuthorization,
  type WalletCapture,
  type WalletOrder,
  type WalletRefund,
  webhookEventSchema,
} from "./wallet-wire.js";

/** The hosts PayPal serves its webhook certificates from (live and sandbox), over https only. */
const PAYPAL_CERT_HOSTS = new Set(["api.paypal.com", "api.sandbox.paypal.com"]);
/** Where under them: `/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77`. */
const CERT_PATH = /^\/v1\/notifications\/certs\/[A-Za-z0-9._-]{1,100}$/;
/** A transmission older or newer than this is refused: a replay of a captured one, or a clock far off. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** A webhook body is a few KB: an order with its payments. */
const MAX_BODY_CHARS = 256 * 1024;
const MAX_CERTIFICATE_BYTES = 16 * 1024;
/** The certificate fetch, from the webhook's route: short, PayPal retries a webhook it got no 2xx for. */
const CERTIFICATE_FETCH_MS = 5_000;
/** PayPal rotates its certificate rarely: a handful of URLs a lifetime. The bound keeps the cache one. */
const MAX_CACHED_CERTIFICATES = 16;

/** Certificates per isolate, by URL: fetched once, as they never change under a URL. */
const certificates = new Map<string, string>();

/** A verified event's resource, read by its `resource_type` (`other`: a type the gateway does not read, or one that did not parse). */
export type WalletWebhookResource =
  | { type: "order"; order: WalletOrder }
  | { type: "capture"; capture: WalletCapture }
  | { type: "authorization"; authorization: WalletAuthorization }
  | { type: "refund"; refund: WalletRefund }
  | { type: "other"; resourceType: string | null };

export interface WalletWebhookEvent {
  /** `WH-...`: the same event redelivered keeps it (a replay is re-signed with a new transmission id). */
  id: string;
  eventType: string;
  createTime: string | null;
  transmissionId: string;
  resource: WalletWebhookResource;
}

/** Whether PAYPAL-CERT-URL may be fetched: PayPal's hosts, or the link's own origin when the link is the local simulator. */
function trustedCertUrl(link: WalletLink, text: string): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!CERT_PATH.test(url.pathname) || url.username || url.password || url.search || url.hash) return null;
  if (url.protocol === "https:" && url.port === "" && PAYPAL_CERT_HOSTS.has(url.hostname)) return url;
  return isLocalLink(link) && url.origin === new URL(link.url).origin ? url : null;
}

async function certificate(url: URL): Promise<string | null> {
  const cached = certificates.get(url.href);
  if (cached) return cached;
  try {
    const { status, pem } = await withDeadline(CERTIFICATE_FETCH_MS, async (signal) => {
      const response = await fetch(url.href, { redirect: "manual", signal });
      return { status: response.status, pem: await readBody(response, MAX_CERTIFICATE_BYTES) };
    });
    if (status !== 200 || !pem?.includes("-----BEGIN CERTIFICATE-----")) return null;
    if (certificates.size >= MAX_CACHED_CERTIFICATES) certificates.delete(certificates.keys().next().value ?? "");
    certificates.set(url.href, pem);
    return pem;
  } catch (error) {
    log("warn", "wallet webhook certificate: no answer", { cert_url: url.href, error: errorMessage(error) });
    return null;
  }
}

function resourceOf(type: string | undefined, resource: unknown): WalletWebhookResource {
  const read = <T>(parsed: { success: true; data: T } | { success: false }) => (parsed.success ? parsed.data : null);
  const order = type === "checkout-order" ? read(orderSchema.safeParse(resource)) : null;
  if (order) return { type: "order", order };
  const capture = type === "capture" ? read(captureSchema.safeParse(resource)) : null;
  if (capture) return { type: "capture", capture };
  const authorization = type === "authorization" ? read(authorizationSchema.safeParse(resource)) : null;
  if (authorization) return { type: "authorization", authorization };
  const refund = type === "refund" ? read(refundSchema.safeParse(resource)) : null;
  if (refund) return { type: "refund", refund };
  return { type: "other", resourceType: type ?? null };
}

/**
 * A webhook from the link's wallet, verified offline (no postback): `PAYPAL-AUTH-ALGO` is
 * SHA256withRSA; the certificate comes only from a trusted PAYPAL-CERT-URL (PayPal's hosts over
 * https, or, when the link itself is on loopback, the simulator's own origin) and is cached by URL;
 * the transmission time is within 5 minutes of `now`; and the signature over
 * `transmission id|time|the link's webhook id|crc32(body)` verifies with the certificate's key
 * (common/wallet/paypal-webhook-signature.ts). `body` is the raw body as received. The parsed
 * event, or null for anything that is not a webhook PayPal sent to this subscription: refuse it
 * (and change nothing).
 */
export async function verifyWalletWebhook(
  link: WalletLink,
  headers: Headers,
  body: string,
  now = Date.now(),
): Promise<WalletWebhookEvent | null> {
  const header = (name: string) => headers.get(name) ?? "";
  const refuse = (reason: string) => {
    log("warn", "wallet webhook refused", { reason, livemode: link.livemode });
    return null;
  };
  const transmissionId = header(PAYPAL_WEBHOOK_HEADERS.transmissionId);
  const transmissionTime = header(PAYPAL_WEBHOOK_HEADERS.transmissionTime);
  const signature = header(PAYPAL_WEBHOOK_HEADERS.transmissionSig);
  if (!transmissionId || !transmissionTime || !signature) return refuse("transmission headers missing");
  if (body.length > MAX_BODY_CHARS) return refuse("body too large");
  if (header(PAYPAL_WEBHOOK_HEADERS.authAlgo) !== PAYPAL_AUTH_ALGO) return refuse("auth algo is not SHA256withRSA");
  const sentAt = Date.parse(transmissionTime);
  if (!(Math.abs(now - sentAt) <= MAX_CLOCK_SKEW_MS)) return refuse("transmission time outside 5 minutes");
  const certUrl = trustedCertUrl(link, header(PAYPAL_WEBHOOK_HEADERS.certUrl));
  if (!certUrl) return refuse("cert url not trusted");
  const certificatePem = await certificate(certUrl);
  if (!certificatePem) return refuse("certificate unavailable");
  const { webhookId } = link;
  const input = { transmissionId, transmissionTime, webhookId, body, signature, certificatePem };
  if (!(await verifyPayPalSignature(input))) return refuse("signature does not verify");
  const event = webhookEventSchema.safeParse(parseJson(body));
  if (!event.success) return refuse("signed body is not an event");
  return {
    id: event.data.id,
    eventType: event.data.event_type,
    createTime: event.data.create_time ?? null,
    transmissionId,
    resource: resourceOf(event.data.resource_type, event.data.resource),
  };
}
