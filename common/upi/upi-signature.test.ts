import { beforeAll, describe, expect, it } from "vitest";
import { newUpiId } from "./upi-fields.js";
import { encodeUpi } from "./upi-messages.js";
import { importUpiSigningKey, importUpiVerifyKeys, signUpiXml, type UpiSigner, verifyUpiXml } from "./upi-signature.js";

async function rsaJwks(kid: string, modulusLength = 2048) {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const privateJwk = { ...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey), kid };
  const publicJwk = { ...((await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey), kid };
  return { signing: JSON.stringify(privateJwk), jwks: JSON.stringify({ keys: [publicJwk] }), publicJwk };
}

const ts = "2025-06-16T10:15:30.000Z";
const unsigned = encodeUpi({
  api: "ReqPay",
  head: { ts, orgId: "GWY", msgId: newUpiId("GWY") },
  txn: { id: newUpiId("GWY"), ts, type: "PAY", initiationMode: "04", expireAfter: 15 },
  payee: { addr: "shop@gwy", name: "Chai Co", amountPaise: 49900 },
});

let signer: UpiSigner;
let keys: Map<string, CryptoKey>;
let mine: Awaited<ReturnType<typeof rsaJwks>>;
let other: Awaited<ReturnType<typeof rsaJwks>>;
let signed: string;

beforeAll(async () => {
  mine = await rsaJwks("gwy-1");
  other = await rsaJwks("npci-1");
  signer = await importUpiSigningKey(mine.signing);
  keys = await importUpiVerifyKeys(mine.jwks);
  signed = await signUpiXml(unsigned, signer);
});

describe("UPI message signatures", () => {
  it("inserts the signature as the root's last child and verifies back to the exact unsigned bytes", async () => {
    expect(signed).toMatch(
      /<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#"><SignatureMethod Algorithm="http:\/\/www.w3.org\/2001\/04\/xmldsig-more#rsa-sha256"\/><KeyName>gwy-1<\/KeyName><SignatureValue>[A-Za-z0-9+/]+=*<\/SignatureValue><\/Signature><\/upi:ReqPay>$/,
    );
    expect(await verifyUpiXml(signed, keys)).toBe(unsigned);
  });

  it("refuses a message changed by one byte", async () => {
    expect(await verifyUpiXml(signed.replace('value="499.00"', 'value="499.01"'), keys)).toBeNull();
    expect(await verifyUpiXml(signed.replace("<Head ", "<Head  "), keys)).toBeNull();
  });

  it("refuses a changed signature value", async () => {
    const value = /<SignatureValue>([^<]+)</.exec(signed)?.[1] as string;
    const flipped = (value[0] === "A" ? "B" : "A") + value.slice(1);
    expect(await verifyUpiXml(signed.replace(value, flipped), keys)).toBeNull();
  });

  it("refuses no signature, or a second one", async () => {
    expect(await verifyUpiXml(unsigned, keys)).toBeNull();
    const element = /<Signature .*<\/Signature>/.exec(signed)?.[0] as string;
    expect(await verifyUpiXml(signed.replace("<Payees>", `${element}<Payees>`), keys)).toBeNull();
    expect(await verifyUpiXml(signed.replace("<Payees>", "<Signature><Payees>"), keys)).toBeNull();
  });

  it("refuses a signature moved away from the root's end, or with anything added inside it", async () => {
    const element = /<Signature .*<\/Signature>/.exec(signed)?.[0] as string;
    const moved = unsigned.replace("<Payees>", `${element}<Payees>`);
    expect(await verifyUpiXml(moved, keys)).toBeNull();
    const padded = signed.replace("<KeyName>", "<Reference URI=''/><KeyName>");
    expect(await verifyUpiXml(padded, keys)).toBeNull();
    expect(await verifyUpiXml(signed.replace("</upi:ReqPay>", "</upi:ReqPay>\n<!-- tail -->"), keys)).toBeNull();
  });

  it("refuses a signature by another key, under its kid or under ours", async () => {
    const theirs = await importUpiSigningKey(other.signing);
    expect(await verifyUpiXml(await signUpiXml(unsigned, theirs), keys)).toBeNull();
    expect(await verifyUpiXml(await signUpiXml(unsigned, { key: theirs.key, kid: "gwy-1" }), keys)).toBeNull();
  });

  it("verifies with whichever key of a rotated JWKS the KeyName names", async () => {
    const rotated = await importUpiVerifyKeys(JSON.stringify({ keys: [mine.publicJwk, other.publicJwk] }));
    const theirs = await importUpiSigningKey(other.signing);
    expect(await verifyUpiXml(signed, rotated)).toBe(unsigned);
    expect(await verifyUpiXml(await signUpiXml(unsigned, theirs), rotated)).toBe(unsigned);
  });

  it("never throws on hostile input", async () => {
    for (const bad of [
      "",
      "<Signature ",
      "</Signature><Signature ",
      `${"<Signature ".repeat(3)}`,
      "x".repeat(70_000),
    ]) {
      expect(await verifyUpiXml(bad, keys)).toBeNull();
    }
    expect(await verifyUpiXml(undefined as unknown as string, keys)).toBeNull();
  });

  it("refuses to sign a document that cannot carry its signature", async () => {
    await expect(signUpiXml(signed, signer)).rejects.toThrow(/already/);
    await expect(signUpiXml('<upi:Ack xmlns:upi="http://npci.org/upi/schema/"/>', signer)).rejects.toThrow(/end tag/);
  });

  it("refuses weak, public-only, kid-less and duplicate keys at import", async () => {
    const weak = await rsaJwks("weak", 1024);
    await expect(importUpiSigningKey(weak.signing)).rejects.toThrow(/2048/);
    await expect(importUpiVerifyKeys(weak.jwks)).rejects.toThrow(/2048/);
    await expect(importUpiSigningKey(JSON.stringify(other.publicJwk))).rejects.toThrow(/private/);
    const { kid: _kid, ...kidless } = other.publicJwk;
    await expect(importUpiVerifyKeys(JSON.stringify({ keys: [kidless] }))).rejects.toThrow(/kid/);
    await expect(importUpiVerifyKeys(JSON.stringify({ keys: [other.publicJwk, other.publicJwk] }))).rejects.toThrow(
      /twice/,
    );
    await expect(importUpiVerifyKeys(JSON.stringify({ keys: [] }))).rejects.toThrow(/no keys/);
  });
});
