import { Iso8583Error } from "./iso8583-error.js";

/**
 * TCP framing used by most acquirer hosts: each message is preceded by its length as a 2-byte
 * unsigned big-endian integer (network byte order), not counting the prefix itself.
 */
export const MAX_FRAME = 0xffff;

export function frame(message: Buffer): Buffer {
  if (message.length > MAX_FRAME) throw new Iso8583Error(`message of ${message.length} bytes exceeds a 2-byte frame`);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

/** Reassembles frames from a TCP byte stream, which may split or merge them arbitrarily. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) break;
      frames.push(this.pending.subarray(2, 2 + length));
      this.pending = this.pending.subarray(2 + length);
    }
    return frames;
  }
}
