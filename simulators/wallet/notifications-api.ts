import { Hono } from "hono";
import { PAYPAL_AUTH_ALGO, verifyPayPalSignature } from "../../common/wallet/paypal-webhook-signature.js";
import type { SigningCertificate } from "./certificate.js";
import { parseBody, verifySignatureBody } from "./request-bodies.js";

/**
 * Webhooks' v1 notifications API, the two calls a receiver makes: fetch the certificate named by
 * `PAYPAL-CERT-URL` (public, as PayPal's is), and the postback `verify-webhook-signature`
 * (developer.paypal.com/api/webhooks/v1), which checks what the receiver passes against the
 * simulator's own certificate. The event comes back as parsed JSON: it is serialised again to be
 * checked, so its members must keep the order they were sent in.
 */
export function createNotificationsApi(certificate: SigningCertificate) {
  const certPath = `/v1/notifications/certs/${certificate.name}`;
  return new Hono()
    .get("/v1/notifications/certs/:name", (c) =>
      c.req.param("name") === certificate.name
        ? c.body(certificate.pem, 200, { "Content-Type": "application/x-pem-file" })
        : c.json({ name: "RESOURCE_NOT_FOUND", message: "The specified resource does not exist." }, 404),
    )
    .post("/v1/notifications/verify-webhook-signature", async (c) => {
      const body = parseBody(verifySignatureBody, await c.req.text());
      let certUrlPath = "";
      try {
        certUrlPath = new URL(body.cert_url).pathname;
      } catch {}
      const verified =
        body.auth_algo === PAYPAL_AUTH_ALGO &&
        certUrlPath === certPath &&
        (await verifyPayPalSignature({
          transmissionId: body.transmission_id,
          transmissionTime: body.transmission_time,
          webhookId: body.webhook_id,
          body: JSON.stringify(body.webhook_event),
          signature: body.transmission_sig,
          certificatePem: certificate.pem,
        }));
      return c.json({ verification_status: verified ? "SUCCESS" : "FAILURE" });
    });
}
