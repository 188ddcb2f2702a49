import type * as Pkcs11Types from "pkcs11js";

type Pkcs11Module = typeof Pkcs11Types;

/**
 * Why an object labelled as one of our KEKs must not be used, or null when it is fit. A KEK is
 * fit when it is an AES-256 secret key the HSM made itself and never let out: sensitive and
 * non-extractable now (PCI DSS 3.6.1.2: secret keys stored only inside a secure cryptographic
 * device), and *always* sensitive and *never* extractable (PKCS#11 2.40 §4.9: both are false for
 * a key imported with C_CreateObject or unwrapped, i.e. one whose value someone outside the HSM
 * knew). That is what stops a key planted by whoever holds the PIN from becoming current.
 */
export function unfitKekReason(
  lib: Pkcs11Module,
  pkcs11: Pkcs11Types.PKCS11,
  session: Buffer,
  handle: Buffer,
): string | null {
  const read = (types: number[]) =>
    pkcs11.C_GetAttributeValue(
      session,
      handle,
      types.map((type) => ({ type })),
    );
  const ulong = (attribute: Pkcs11Types.Attribute | undefined) => {
    const value = attribute?.value;
    return Buffer.isBuffer(value) ? value.readUIntLE(0, Math.min(6, value.length)) : Number(value);
  };
  const flag = (attribute: Pkcs11Types.Attribute | undefined) => {
    const value = attribute?.value;
    return Buffer.isBuffer(value) ? value[0] === 1 : value === true;
  };
  const [klass] = read([lib.CKA_CLASS]);
  if (ulong(klass) !== lib.CKO_SECRET_KEY) return "not a secret key";
  let attributes: Pkcs11Types.Attribute[];
  try {
    attributes = read([
      lib.CKA_KEY_TYPE,
      lib.CKA_VALUE_LEN,
      lib.CKA_SENSITIVE,
      lib.CKA_EXTRACTABLE,
      lib.CKA_ALWAYS_SENSITIVE,
      lib.CKA_NEVER_EXTRACTABLE,
    ]);
  } catch (error) {
    return `its attributes cannot be read (${String(error)})`;
  }
  const [keyType, length, sensitive, extractable, alwaysSensitive, neverExtractable] = attributes;
  if (ulong(keyType) !== lib.CKK_AES) return "not an AES key (CKK_AES)";
  if (ulong(length) !== 32) return `${ulong(length) * 8}-bit, not AES-256`;
  if (!flag(sensitive)) return "not sensitive (CKA_SENSITIVE false)";
  if (flag(extractable)) return "extractable (CKA_EXTRACTABLE true)";
  if (!flag(alwaysSensitive) || !flag(neverExtractable))
    return "made outside the HSM or once extractable (CKA_ALWAYS_SENSITIVE / CKA_NEVER_EXTRACTABLE false)";
  return null;
}
