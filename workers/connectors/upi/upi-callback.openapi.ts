import { z } from "zod";
import type { Operation } from "../../openapi/operation.js";

/** The UPI switch's callback (issue 14): NPCI XML in, an NPCI Ack out. */
export const upiCallbackOperations: Operation[] = [
  {
    method: "post",
    path: "/network/upi/{mode}/RespPay/2.0/{urn}",
    operationId: "upiSwitchCallback",
    tag: "Internal",
    summary: "Take the UPI switch's RespPay for a transaction (the switch only)",
    description: [
      "`mode` is `test` or `live` (each mode's switch is registered with its own URL); `urn` is `urn:txnid:<the transaction id>`.",
      "The body is NPCI's `RespPay`, signed by the switch (RSA-SHA256 over the message's bytes without its `<Signature>` element, which carries the value and the key's name).",
      "Every answer is an NPCI `Ack` in XML, signed by the gateway: 200 when the answer was taken (also for one the payment had already settled: delivering twice changes nothing),",
      "401 `U15` when the signature does not verify (nothing changes), 400 `U05` malformed or `U06` naming another transaction than the URL, 404 `U04` for a transaction that is not the gateway's (or `U17`: no switch in that mode), 413 over 64 KiB,",
      "429 with `Retry-After` once an address has sent too many forgeries (they count as failed authentications).",
    ].join(" "),
    auth: { kind: "upi_switch" },
    xmlBody: "NPCI `RespPay` (namespace http://npci.org/upi/schema/), signed.",
    success: {
      status: 200,
      description: "The PSP's `Ack` of the callback.",
      body: { schema: z.string().describe("NPCI `Ack`, signed."), contentType: "application/xml" },
    },
  },
];
