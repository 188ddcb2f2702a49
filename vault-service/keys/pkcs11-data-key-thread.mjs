import { createRequire } from "node:module";
import { parentPort } from "node:worker_threads";

/**
 * The data-key factory thread behind `Pkcs11DataKeyReserve`: one per process, for its lifetime
 * (pkcs11js crashes when loaded into a second thread after the first one ended, so the thread is
 * never ended and reloaded). Each reserve is a "client" with an id; for it the thread opens its
 * own session on the token the main thread initialized and logged into (the same application,
 * so "already initialized" and "already logged in" are expected), and answers each
 * `{ type: "make", id, token, version, count }` with `count` fresh data keys: 32 bytes from the
 * HSM's RNG, wrapped by the KEK labelled `<prefix><version>` with CKM_AES_KEY_WRAP_PAD.
 * `{ type: "close", id }` closes that client's session and is acknowledged, so the main thread
 * can finalize the library knowing this thread is not inside it. Plain JavaScript: no loader.
 */
const lib = createRequire(import.meta.url)("pkcs11js");
/** @type {Map<string, any>} library path -> loaded module */
const modules = new Map();
/** @type {Map<number, { pkcs11: any, session: Buffer, labelPrefix: string, keks: Map<string, Buffer> }>} */
const clients = new Map();

const expected = (error, code) => error instanceof Error && error.message.includes(code);

function connect({ library, tokenLabel, pin, labelPrefix }) {
  let pkcs11 = modules.get(library);
  if (!pkcs11) {
    pkcs11 = new lib.PKCS11();
    pkcs11.load(library);
    modules.set(library, pkcs11);
  }
  try {
    pkcs11.C_Initialize({ flags: lib.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (!expected(error, "CKR_CRYPTOKI_ALREADY_INITIALIZED")) throw error;
  }
  const slot = pkcs11
    .C_GetSlotList(true)
    .find((candidate) => pkcs11.C_GetTokenInfo(candidate).label.trim() === tokenLabel);
  if (!slot) throw new Error(`no PKCS#11 token labelled "${tokenLabel}"`);
  const session = pkcs11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | lib.CKF_RW_SESSION);
  try {
    pkcs11.C_Login(session, lib.CKU_USER, pin);
  } catch (error) {
    if (!expected(error, "CKR_USER_ALREADY_LOGGED_IN")) throw error;
  }
  return { pkcs11, session, labelPrefix, keks: new Map() };
}

function kekFor(client, version) {
  const known = client.keks.get(version);
  if (known) return known;
  const { pkcs11, session } = client;
  pkcs11.C_FindObjectsInit(session, [
    { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
    { type: lib.CKA_TOKEN, value: true },
    { type: lib.CKA_LABEL, value: `${client.labelPrefix}${version}` },
  ]);
  const [handle] = pkcs11.C_FindObjects(session, 1);
  pkcs11.C_FindObjectsFinal(session);
  if (!handle) throw new Error(`no KEK ${client.labelPrefix}${version} on the token`);
  client.keks.set(version, handle);
  return handle;
}

function dataKey({ pkcs11, session }, kek) {
  const plaintext = pkcs11.C_GenerateRandom(session, Buffer.alloc(32));
  const handle = pkcs11.C_CreateObject(session, [
    { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
    { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
    { type: lib.CKA_VALUE, value: plaintext },
    { type: lib.CKA_TOKEN, value: false },
    { type: lib.CKA_EXTRACTABLE, value: true },
  ]);
  try {
    const wrapped = pkcs11.C_WrapKey(session, { mechanism: lib.CKM_AES_KEY_WRAP_PAD }, kek, handle, Buffer.alloc(64));
    return { plaintext: new Uint8Array(plaintext), wrapped: new Uint8Array(wrapped) };
  } finally {
    plaintext.fill(0);
    pkcs11.C_DestroyObject(session, handle);
  }
}

parentPort.on("message", (message) => {
  if (message.type === "close") {
    const client = clients.get(message.id);
    clients.delete(message.id);
    try {
      client?.pkcs11.C_CloseSession(client.session);
    } catch {
      // The session is gone already (the library was finalized): nothing left to close.
    }
    parentPort.postMessage({ type: "closed", id: message.id });
    return;
  }
  const { id, version, count } = message;
  try {
    let client = clients.get(id);
    if (!client) {
      client = connect(message.token);
      clients.set(id, client);
    }
    const kek = kekFor(client, version);
    const keys = Array.from({ length: count }, () => dataKey(client, kek));
    // Transferred, not copied: no second copy of the plaintext keys stays behind in this thread.
    parentPort.postMessage(
      { type: "keys", id, version, keys },
      keys.map((key) => key.plaintext.buffer),
    );
  } catch (error) {
    parentPort.postMessage({ type: "keys", id, version, keys: [], error: String(error) });
  }
});
