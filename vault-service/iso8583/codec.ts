import { decodeBitmap, encodeBitmap } from "./bitmap.js";
import { contentMatches, FIELD_SPECS, type FieldSpec } from "./field-specs.js";
import { Iso8583Error } from "./iso8583-error.js";
import type { IsoMessage } from "./message.js";

/**
 * ISO 8583:1987, ASCII variant: MTI and data elements as ASCII characters, binary bitmaps.
 * Values are validated against the field spec table on the way out and on the way in, so a
 * malformed message fails here rather than at the issuer.
 */
const MTI_PATTERN = /^0[1-9][0-9]{2}$/;

function specFor(field: number): FieldSpec {
  const spec = FIELD_SPECS[field];
  if (!spec) throw new Iso8583Error(`field ${field} is not in the field spec table`);
  return spec;
}

function packField(field: number, value: string): string {
  const spec = specFor(field);
  if (!contentMatches(spec.content, value))
    throw new Iso8583Error(`field ${field} (${spec.name}) has characters outside ${spec.content}`);
  const format = spec.format;
  if (format.kind === "fixed") {
    if (value.length > format.length) throw new Iso8583Error(`field ${field} is longer than ${format.length}`);
    return spec.content === "n" ? value.padStart(format.length, "0") : value.padEnd(format.length, " ");
  }
  if (value.length > format.max) throw new Iso8583Error(`field ${field} is longer than ${format.max}`);
  const digits = format.kind === "llvar" ? 2 : 3;
  return String(value.length).padStart(digits, "0") + value;
}

export function pack(message: IsoMessage): Buffer {
  if (!MTI_PATTERN.test(message.mti)) throw new Iso8583Error(`bad MTI ${message.mti}`);
  const present = Object.keys(message.fields)
    .map(Number)
    .filter((field) => message.fields[field] !== undefined)
    .sort((a, b) => a - b);
  const body = present.map((field) => packField(field, message.fields[field] as string)).join("");
  return Buffer.concat([Buffer.from(message.mti, "ascii"), encodeBitmap(present), Buffer.from(body, "latin1")]);
}

export function unpack(buffer: Buffer): IsoMessage {
  const mti = buffer.toString("latin1", 0, 4);
  if (!MTI_PATTERN.test(mti)) throw new Iso8583Error("garbled message: bad MTI");
  const bitmap = decodeBitmap(buffer, 4);
  let offset = 4 + bitmap.length;
  const fields: Partial<Record<number, string>> = {};
  const take = (length: number, field: number) => {
    if (offset + length > buffer.length) throw new Iso8583Error(`garbled message: field ${field} runs past the end`);
    const text = buffer.toString("latin1", offset, offset + length);
    offset += length;
    return text;
  };
  for (const field of bitmap.fields) {
    const spec = specFor(field);
    let length: number;
    if (spec.format.kind === "fixed") {
      length = spec.format.length;
    } else {
      const prefix = take(spec.format.kind === "llvar" ? 2 : 3, field);
      if (!/^[0-9]+$/.test(prefix)) throw new Iso8583Error(`garbled message: field ${field} length prefix`);
      length = Number(prefix);
      if (length > spec.format.max)
        throw new Iso8583Error(`garbled message: field ${field} longer than ${spec.format.max}`);
    }
    const raw = take(length, field);
    if (!contentMatches(spec.content, raw)) throw new Iso8583Error(`garbled message: field ${field} content`);
    fields[field] = spec.format.kind === "fixed" && spec.content !== "n" ? raw.trimEnd() : raw;
  }
  if (offset !== buffer.length) throw new Iso8583Error("garbled message: bytes after the last field");
  return { mti, fields };
}
