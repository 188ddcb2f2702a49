import { Iso8583Error } from "./iso8583-error.js";

/**
 * Binary bitmaps (ISO 8583:1987 §4.2): 8 bytes for fields 1-64; bit 1 set means a secondary
 * bitmap of 8 more bytes follows, for fields 65-128. Bit 1 of the first byte is the most
 * significant bit.
 */
export function encodeBitmap(fields: readonly number[]): Buffer {
  const secondary = fields.some((field) => field > 64);
  const bitmap = Buffer.alloc(secondary ? 16 : 8);
  if (secondary) bitmap[0] = 0x80;
  for (const field of fields) {
    if (!Number.isInteger(field) || field < 2 || field > 128 || field === 65) {
      throw new Iso8583Error(`field ${field} cannot be carried in a bitmap`);
    }
    const bit = field - 1;
    bitmap[bit >> 3] = (bitmap[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  }
  return bitmap;
}

/** The fields present, in ascending order, and how many bytes the bitmap(s) took. */
export function decodeBitmap(buffer: Buffer, offset: number): { fields: number[]; length: number } {
  if (buffer.length < offset + 8) throw new Iso8583Error("message too short for its primary bitmap");
  const secondary = ((buffer[offset] ?? 0) & 0x80) !== 0;
  const length = secondary ? 16 : 8;
  if (buffer.length < offset + length) throw new Iso8583Error("message too short for its secondary bitmap");
  const fields: number[] = [];
  for (let bit = 1; bit < length * 8; bit++) {
    if (((buffer[offset + (bit >> 3)] ?? 0) & (0x80 >> (bit & 7))) !== 0) fields.push(bit + 1);
  }
  return { fields, length };
}
