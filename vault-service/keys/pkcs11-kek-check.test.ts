import { createRequire } from "node:module";
import type * as Pkcs11Types from "pkcs11js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createSoftHsmToken,
  SOFTHSM_INSTALL,
  type SoftHsmToken,
  softHsmAvailable,
} from "../../test/support/softhsm.js";
import { Pkcs11KeyProvider } from "./pkcs11-key-provider.js";

const available = softHsmAvailable();
if (!available)
  console.warn(
    `\n!!! SoftHSM2 is not installed: the PKCS#11 KEK checks are SKIPPED. Install it with: ${SOFTHSM_INSTALL}\n`,
  );

/** Plants an object on the token the way someone holding the PIN could, outside the vault. */
function plant(token: SoftHsmToken, make: (lib: typeof Pkcs11Types, p: Pkcs11Types.PKCS11, s: Buffer) => void) {
  const lib = createRequire(import.meta.url)("pkcs11js") as typeof Pkcs11Types;
  const pkcs11 = new lib.PKCS11();
  pkcs11.load(token.library);
  pkcs11.C_Initialize();
  try {
    const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === token.tokenLabel)!;
    const session = pkcs11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
    pkcs11.C_Login(session, lib.CKU_USER, token.pin);
    make(lib, pkcs11, session);
    pkcs11.C_CloseSession(session);
  } finally {
    pkcs11.C_Finalize();
  }
}

const aes = (lib: typeof Pkcs11Types, label: string, extra: Pkcs11Types.Template = []): Pkcs11Types.Template => [
  { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
  { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
  { type: lib.CKA_LABEL, value: label },
  { type: lib.CKA_TOKEN, value: true },
  { type: lib.CKA_WRAP, value: true },
  { type: lib.CKA_UNWRAP, value: true },
  ...extra,
];

describe.skipIf(!available)("PKCS#11 KEKs are checked on load (issue 12, item 7)", () => {
  let token: SoftHsmToken;
  beforeEach(async () => {
    token = createSoftHsmToken();
    await (await Pkcs11KeyProvider.open({ ...token, reserveSize: 0 })).close(); // v1, made by the vault
  });
  afterEach(() => token?.cleanup());

  const refusal = () => Pkcs11KeyProvider.open({ ...token, reserveSize: 0 });

  it("refuses to start on a planted AES-256 key whose value was known outside the HSM", async () => {
    plant(token, (lib, pkcs11, session) =>
      pkcs11.C_CreateObject(
        session,
        aes(lib, "gateway-kek-v2", [
          { type: lib.CKA_VALUE, value: Buffer.alloc(32, 7) },
          { type: lib.CKA_SENSITIVE, value: true },
          { type: lib.CKA_EXTRACTABLE, value: false },
        ]),
      ),
    );
    await expect(refusal()).rejects.toThrow(/"gateway-kek-v2" is made outside the HSM/);
  });

  it("refuses an extractable, a short and a non-AES key, naming each label", async () => {
    const generate = (
      label: string,
      mechanism: "aes" | "generic",
      extra: (lib: typeof Pkcs11Types) => Pkcs11Types.Template,
    ) =>
      plant(token, (lib, pkcs11, session) => {
        const template = aes(lib, label, extra(lib)).filter(
          (attribute) => mechanism === "aes" || attribute.type !== lib.CKA_KEY_TYPE,
        );
        const mech = mechanism === "aes" ? lib.CKM_AES_KEY_GEN : lib.CKM_GENERIC_SECRET_KEY_GEN;
        pkcs11.C_GenerateKey(session, { mechanism: mech }, template);
      });
    generate("gateway-kek-v2", "aes", (lib) => [
      { type: lib.CKA_VALUE_LEN, value: 32 },
      { type: lib.CKA_EXTRACTABLE, value: true },
      { type: lib.CKA_SENSITIVE, value: true },
    ]);
    await expect(refusal()).rejects.toThrow(/"gateway-kek-v2" is extractable/);
    token.cleanup();
    token = createSoftHsmToken();
    generate("gateway-kek-v1", "aes", (lib) => [
      { type: lib.CKA_VALUE_LEN, value: 16 },
      { type: lib.CKA_EXTRACTABLE, value: false },
      { type: lib.CKA_SENSITIVE, value: true },
    ]);
    await expect(refusal()).rejects.toThrow(/"gateway-kek-v1" is 128-bit, not AES-256/);
    token.cleanup();
    token = createSoftHsmToken();
    generate("gateway-kek-v1", "generic", (lib) => [
      { type: lib.CKA_VALUE_LEN, value: 32 },
      { type: lib.CKA_EXTRACTABLE, value: false },
      { type: lib.CKA_SENSITIVE, value: true },
    ]);
    await expect(refusal()).rejects.toThrow(/"gateway-kek-v1" is not an AES key/);
  });

  it("retires a KEK: destroyed on the token, gone from the loaded set, the current one never", async () => {
    const provider = await Pkcs11KeyProvider.open({ ...token, reserveSize: 0 });
    try {
      await provider.rotate();
      await expect(provider.retire("v2")).rejects.toThrow(/current/);
      await provider.retire("v1");
      expect(provider.versions()).toEqual(["v2"]);
    } finally {
      await provider.close();
    }
    const reopened = await Pkcs11KeyProvider.open({ ...token, reserveSize: 0 });
    try {
      expect(reopened.versions()).toEqual(["v2"]);
    } finally {
      await reopened.close();
    }
  });
});
