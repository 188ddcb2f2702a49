import { createHash, createSign, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import forge from "node-forge";

/**
 * The key the simulator signs its webhooks with, and the self-signed X.509 certificate that
 * carries its public half, served at `/v1/notifications/certs/<name>` as PayPal serves its own
 * (`PAYPAL-CERT-URL`). Made once per data directory and kept there, so a receiver that caches the
 * certificate by URL keeps verifying across restarts. `name` is shaped as PayPal's
 * (`CERT-360caa42-fca2a594-a5cafa77`), taken from the certificate's SHA-256.
 */
export interface SigningCertificate {
  name: string;
  pem: string;
  /** Base64 RSASSA-PKCS1-v1_5 / SHA-256 over `text`: PAYPAL-TRANSMISSION-SIG. */
  sign(text: string): string;
}

const DAY_MS = 86_400_000;

function createMaterial(): { key: string; cert: string } {
  // The key from Node's own crypto (fast, native); node-forge writes the certificate around it.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  // RFC 5280 §4.1.2.2: positive, at most 20 octets; a leading 0x01 keeps it positive.
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 3 * 365 * DAY_MS);
  const name = [
    { name: "commonName", value: "messageverificationcerts.wallet-simulator.test" },
    { name: "organizationName", value: "Wallet Simulator" },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, critical: true },
  ]);
  const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  cert.sign(forge.pki.privateKeyFromPem(pkcs1), forge.md.sha256.create());
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: forge.pki.certificateToPem(cert),
  };
}

/** The signing material in `dataDir` (files 0600), made on first use; without a directory, a fresh one in memory. */
export function loadOrCreateCertificate(dataDir: string | null): SigningCertificate {
  const keyFile = dataDir ? join(dataDir, "wallet-signing-key.pem") : null;
  const certFile = dataDir ? join(dataDir, "wallet-signing-cert.pem") : null;
  let material: { key: string; cert: string };
  if (keyFile && certFile && existsSync(keyFile) && existsSync(certFile)) {
    material = { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") };
  } else {
    material = createMaterial();
    if (keyFile && certFile) {
      writeFileSync(keyFile, material.key, { mode: 0o600 });
      writeFileSync(certFile, material.cert, { mode: 0o600 });
    }
  }
  const hex = createHash("sha256").update(new X509Certificate(material.cert).raw).digest("hex");
  return {
    name: `CERT-${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`,
    pem: material.cert,
    sign: (text) => createSign("RSA-SHA256").update(text).sign(material.key, "base64"),
  };
}
