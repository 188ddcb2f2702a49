/**
 * The few pieces of the PostgreSQL frontend/backend protocol (version 3.0, "Message Formats" in
 * the PostgreSQL manual, chapter 55) the local pool speaks itself: the start-up exchange with a
 * client, and watching the messages it otherwise passes through untouched.
 */

/** The start-up packet's codes (they sit where a protocol version would). */
export const STARTUP = {
  protocol3: 196_608,
  sslRequest: 80_877_103,
  gssEncRequest: 80_877_104,
  cancelRequest: 80_877_102,
} as const;

/** Type bytes the pool acts on. */
export const MESSAGE = {
  terminate: 0x58, // 'X', frontend: the client is leaving
  password: 0x70, // 'p', frontend
  readyForQuery: 0x5a, // 'Z', backend: idle 'I', in a transaction 'T', in a failed one 'E'
} as const;

function typed(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

const int32 = (...values: number[]) => {
  const buffer = Buffer.alloc(values.length * 4);
  for (const [index, value] of values.entries()) buffer.writeInt32BE(value, index * 4);
  return buffer;
};
const cstring = (text: string) => Buffer.from(`${text}\0`, "utf8");

export const backend = {
  /** AuthenticationCleartextPassword: the pool checks the client's password itself. */
  askPassword: () => typed("R", int32(3)),
  authenticationOk: () => typed("R", int32(0)),
  parameterStatus: (name: string, value: string) => typed("S", Buffer.concat([cstring(name), cstring(value)])),
  backendKeyData: (processId: number, secretKey: number) => typed("K", int32(processId, secretKey)),
  readyForQuery: () => typed("Z", Buffer.from("I", "latin1")),
  /** ErrorResponse, severity FATAL: the client's connection attempt ends with this. */
  fatal: (code: string, message: string) =>
    typed(
      "E",
      Buffer.concat([
        cstring("SFATAL"),
        cstring("VFATAL"),
        cstring(`C${code}`),
        cstring(`M${message}`),
        Buffer.from([0]),
      ]),
    ),
};

export const frontend = {
  /** A simple Query. */
  query: (sql: string) => typed("Q", cstring(sql)),
  cancelRequest: (processId: number, secretKey: number) => int32(16, STARTUP.cancelRequest, processId, secretKey),
};

/** One start-up phase packet (no type byte): its code and the bytes after it. */
export interface StartupPacket {
  code: number;
  body: Buffer;
}

/** The key/value pairs of a StartupMessage (user, database, options, GUCs). */
export function startupParameters(body: Buffer): Map<string, string> {
  const parameters = new Map<string, string>();
  const fields = body.toString("utf8").split("\0");
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const name = fields[index];
    if (!name) break; // the terminating empty name
    parameters.set(name, fields[index + 1] ?? "");
  }
  return parameters;
}

/**
 * Reads whole messages from a stream of chunks: start-up packets (int32 length first) and typed
 * ones (a type byte, then an int32 length that counts itself), as the caller asks.
 * Used only where messages are small (a client's start-up, password and queries); a lying length
 * (negative, or over `maxLength`) is an error, not a wait for bytes that never come.
 */
export class MessageReader {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly maxLength = 1 << 30) {}

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
  }

  /** The next whole start-up packet, or null to wait for more bytes. */
  nextStartup(): StartupPacket | null {
    if (this.buffered.length < 8) return null;
    const length = this.buffered.readInt32BE(0);
    if (length < 8 || length > 10_000) throw new Error(`start-up packet of ${length} bytes`);
    if (this.buffered.length < length) return null;
    const packet = { code: this.buffered.readInt32BE(4), body: this.buffered.subarray(8, length) };
    this.buffered = this.buffered.subarray(length);
    return packet;
  }

  /** The next whole typed message, raw, or null to wait for more bytes. */
  nextTyped(): Buffer | null {
    if (this.buffered.length < 5) return null;
    const length = this.buffered.readInt32BE(1);
    if (length < 4 || length > this.maxLength) throw new Error(`message of ${length} bytes`);
    if (this.buffered.length < length + 1) return null;
    const message = this.buffered.subarray(0, length + 1);
    this.buffered = this.buffered.subarray(length + 1);
    return message;
  }

  /** What arrived after the last whole message (handed on when the pool stops reading). */
  rest(): Buffer {
    const rest = this.buffered;
    this.buffered = Buffer.alloc(0);
    return rest;
  }
}

/**
 * Follows a backend's stream of typed messages as it passes, chunk by chunk and without copying,
 * to know the session's state: the status of the last ReadyForQuery ('I' idle, 'T' in a
 * transaction, 'E' in a failed one) and whether its cycle had an ErrorResponse. The chunks
 * themselves go on unchanged.
 */
export class ReadyWatcher {
  private header = Buffer.alloc(5);
  private headerFill = 0;
  private payloadLeft = 0;
  private type = 0;
  private atPayloadStart = false;
  /** The status byte of the last ReadyForQuery, or null before the first. */
  status: string | null = null;
  /** ReadyForQuery messages seen: each ends one query cycle. */
  cycles = 0;
  /** Whether the query cycle the last ReadyForQuery ended had an ErrorResponse in it. */
  lastCycleFailed = false;
  private errorInCycle = false;

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.payloadLeft > 0) {
        if (this.atPayloadStart && this.type === MESSAGE.readyForQuery) {
          this.status = String.fromCharCode(chunk[at] as number);
          this.cycles += 1;
        }
        this.atPayloadStart = false;
        const step = Math.min(this.payloadLeft, chunk.length - at);
        this.payloadLeft -= step;
        at += step;
        continue;
      }
      this.header[this.headerFill++] = chunk[at++] as number;
      if (this.headerFill < 5) continue;
      this.headerFill = 0;
      this.type = this.header[0] as number;
      this.payloadLeft = this.header.readInt32BE(1) - 4;
      this.atPayloadStart = true;
      if (this.type === 0x45) this.errorInCycle = true; // 'E'
      if (this.type === MESSAGE.readyForQuery) {
        this.lastCycleFailed = this.errorInCycle;
        this.errorInCycle = false;
      }
    }
  }
}
