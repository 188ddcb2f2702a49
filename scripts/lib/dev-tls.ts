import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import forge from "node-forge";

/**
 * TLS for the ISO 8583 links on this machine: a private certificate authority made on first run,
 * and a server certificate it signs for the loopback names the simulators listen on. The vault
 * trusts only that CA for the links configured with it (`*_ACQUIRER_TLS_CA_FILE`), as it would
 * trust an acquirer's CA in production. Nothing here is used outside local development and tests.
 */
export interface DevTls {
  /** The CA certificate (PEM): what the vault trusts. */
  caFile: string;
  /** The server's certificate and private key (PEM): what a simulator serves. */
  certFile: string;
  keyFile: string;
}

const DAY_MS = 86_400_000;

/** An RSA key from Node's own crypto (fast, native), in the form node-forge signs with. */
function rsaKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
  };
}

function certificate(
  subject: string,
  publicKey: forge.pki.PublicKey,
  issuer: { name: string; key: forge.pki.rsa.PrivateKey },
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // RFC 5280 §4.1.2.2: positive, at most 20 octets; a leading 0x01 keeps it positive.
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 825 * DAY_MS);
  cert.setSubject([{ name: "commonName", value: subject }]);
  cert.setIssuer([{ name: "commonName", value: issuer.name }]);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return cert;
}

/** A fresh CA and a loopback server certificate signed by it, as PEM text. */
export function createDevTlsMaterial(): { ca: string; cert: string; key: string } {
  const caName = "gateway local ISO 8583 CA";
  const ca = rsaKeys();
  const caCert = certificate(caName, ca.publicKey, { name: caName, key: ca.privateKey }, [
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const server = rsaKeys();
  const serverCert = certificate("localhost", server.publicKey, { name: caName, key: ca.privateKey }, [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    // Node checks the name the vault dials against these (RFC 6125): 127.0.0.1, ::1 or localhost.
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
      ],
    },
  ]);
  return {
    ca: forge.pki.certificateToPem(caCert),
    cert: forge.pki.certificateToPem(serverCert),
    key: server.privatePem,
  };
}

/** The material in `dir` (0700, files 0600), made on first run and reused after. */
export function loadOrCreateDevTls(dir: string): DevTls {
  const files: DevTls = {
    caFile: join(dir, "ca.pem"),
    certFile: join(dir, "server.pem"),
    keyFile: join(dir, "server-key.pem"),
  };
  const complete = [files.caFile, files.certFile, files.keyFile].every((file) => existsSync(file));
  if (!complete || certificateExpiresWithinDays(files.certFile, 30)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const material = createDevTlsMaterial();
    writeFileSync(files.caFile, material.ca, { mode: 0o600 });
    writeFileSync(files.certFile, material.cert, { mode: 0o600 });
    writeFileSync(files.keyFile, material.key, { mode: 0o600 });
  }
  return files;
}

function certificateExpiresWithinDays(file: string, days: number): boolean {
  const cert = forge.pki.certificateFromPem(readFileSync(file, "utf8"));
  return cert.validity.notAfter.getTime() - Date.now() < days * DAY_MS;
}
