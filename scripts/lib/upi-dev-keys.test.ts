import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importUpiSigningKey, importUpiVerifyKeys, signUpiXml, verifyUpiXml } from "../../common/upi/upi-signature.js";
import { loadOrCreateUpiDevKeys } from "./upi-dev-keys.js";

const doc =
  '<upi:Ack xmlns:upi="http://npci.org/upi/schema/" api="ReqPay" reqMsgId="" ts="2025-01-01T00:00:00Z"></upi:Ack>';

describe("the UPI development keys", () => {
  it("are made once per data directory (mode 0600), then reused", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "upi-keys-")), "upi-keys.json");
    const first = await loadOrCreateUpiDevKeys(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const stored = readFileSync(path, "utf8");
    expect(await loadOrCreateUpiDevKeys(path)).toEqual(first);
    expect(readFileSync(path, "utf8")).toBe(stored);
  });

  it("pair up: each side's JWKS verifies what its private key signs, and not the other side's", async () => {
    const keys = await loadOrCreateUpiDevKeys(join(mkdtempSync(join(tmpdir(), "upi-keys-")), "upi-keys.json"));
    const switchSigner = await importUpiSigningKey(keys.switchSigningKey);
    const pspSigner = await importUpiSigningKey(keys.pspSigningKey);
    expect(switchSigner.kid).toMatch(/^npci-/);
    expect(pspSigner.kid).toMatch(/^gwy-/);
    const switchKeys = await importUpiVerifyKeys(keys.switchJwks);
    const pspKeys = await importUpiVerifyKeys(keys.pspJwks);
    expect(await verifyUpiXml(await signUpiXml(doc, switchSigner), switchKeys)).toBe(doc);
    expect(await verifyUpiXml(await signUpiXml(doc, pspSigner), pspKeys)).toBe(doc);
    expect(await verifyUpiXml(await signUpiXml(doc, pspSigner), switchKeys)).toBeNull();
    // The JWKS carry public halves only.
    expect(keys.switchJwks).not.toMatch(/"d"|"p"|"q"/);
    expect(keys.pspJwks).not.toMatch(/"d"|"p"|"q"/);
  });
});
