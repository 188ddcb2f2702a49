import { beforeAll, describe, expect, it } from "vitest";
import { crc32, transmissionString, verifyPayPalSignature } from "./paypal-webhook-signature.js";
import { type TestCertificate, testCertificate } from "./x509-test-certificate.js";

const utf8 = (text: string) => new TextEncoder().encode(text);
const body = '{"id":"WH-1","event_type":"CHECKOUT.ORDER.APPROVED"}';
const headers = { transmissionId: "69cd13f0-d67a-11e5-baa3-778b53f4ae55", transmissionTime: "2026-05-01T10:15:30Z" };
const WEBHOOK_ID = "1JE4291016473214C";

let paypal: TestCertificate;
let stranger: TestCertificate;
let signature: string;

beforeAll(async () => {
  [paypal, stranger] = await Promise.all([testCertificate(), testCertificate("stranger.test")]);
  signature = await paypal.sign(transmissionString(headers.transmissionId, headers.transmissionTime, WEBHOOK_ID, body));
});

const verify = (overrides: Partial<Parameters<typeof verifyPayPalSignature>[0]> = {}) =>
  verifyPayPalSignature({
    ...headers,
    webhookId: WEBHOOK_ID,
    body,
    signature,
    certificatePem: paypal.pem,
    ...overrides,
  });

describe("crc32", () => {
  it("matches zlib's CRC-32 on the standard check values", () => {
    expect(crc32(utf8(""))).toBe(0);
    expect(crc32(utf8("123456789"))).toBe(3421780262);
    expect(crc32(utf8("The quick brown fox jumps over the lazy dog"))).toBe(1095738169);
  });

  it("sums the UTF-8 bytes, not the UTF-16 code units", () => {
    expect(crc32(utf8("₹499.00"))).toBe(596603077);
  });
});

describe("transmissionString", () => {
  it("joins id, time, webhook id and the body's CRC-32 in decimal with pipes", () => {
    expect(transmissionString("id-1", "2026-05-01T10:15:30Z", WEBHOOK_ID, body)).toBe(
      `id-1|2026-05-01T10:15:30Z|${WEBHOOK_ID}|344488721`,
    );
  });
});

describe("verifyPayPalSignature", () => {
  it("accepts PayPal's signature over this transmission", async () => {
    expect(await verify()).toBe(true);
  });

  it("uses the leaf when the PEM carries a chain after it", async () => {
    expect(await verify({ certificatePem: `${paypal.pem}${stranger.pem}` })).toBe(true);
  });

  it("refuses a body changed by one byte, another webhook id, time or transmission id", async () => {
    expect(await verify({ body: body.replace("WH-1", "WH-2") })).toBe(false);
    expect(await verify({ body: `${body} ` })).toBe(false);
    expect(await verify({ webhookId: "9XL90610J3647323C" })).toBe(false);
    expect(await verify({ transmissionTime: "2026-05-01T10:15:31Z" })).toBe(false);
    expect(await verify({ transmissionId: "69cd13f0-d67a-11e5-baa3-778b53f4ae56" })).toBe(false);
  });

  it("refuses a signature by another key, and the right signature against another certificate", async () => {
    const forged = await stranger.sign(
      transmissionString(headers.transmissionId, headers.transmissionTime, WEBHOOK_ID, body),
    );
    expect(await verify({ signature: forged })).toBe(false);
    expect(await verify({ certificatePem: stranger.pem })).toBe(false);
  });

  it("answers false, without throwing, to a malformed signature or certificate", async () => {
    expect(await verify({ signature: "" })).toBe(false);
    expect(await verify({ signature: "not base64!" })).toBe(false);
    expect(await verify({ signature: "QUJD" })).toBe(false);
    expect(await verify({ certificatePem: "" })).toBe(false);
    expect(await verify({ certificatePem: "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----" })).toBe(
      false,
    );
  });
});
