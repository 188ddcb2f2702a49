import Iso8583 from "iso_8583";
import { describe, expect, it } from "vitest";
import { decodeBitmap, encodeBitmap } from "./bitmap.js";
import { pack, unpack } from "./codec.js";
import { FrameDecoder, frame } from "./framing.js";
import type { IsoMessage } from "./message.js";
import { responseMti } from "./message.js";

/** The independent `iso_8583` package: packs with a 2-byte length header, unpacks to `{0: mti, n: value}`. */
const theirs = {
  pack(fields: Record<number, string>): Buffer {
    const packed = new Iso8583(fields).getRawMessage();
    if (!Buffer.isBuffer(packed)) throw new Error(`iso_8583 refused: ${JSON.stringify(packed)}`);
    return packed;
  },
  unpack(buffer: Buffer): Record<string, string> {
    const parsed = new Iso8583().getIsoJSON(buffer, { lenHeader: false });
    if (parsed.error) throw new Error(`iso_8583 refused: ${parsed.error}`);
    return parsed;
  },
};

const authorization: IsoMessage = {
  mti: "0100",
  fields: {
    2: "4242424242424242",
    3: "000000",
    4: "000000001999",
    7: "1125142806",
    11: "000042",
    12: "142806",
    13: "1125",
    14: "3012",
    18: "5999",
    22: "010",
    25: "59",
    32: "400001",
    37: "633014000042",
    41: "TERM0001",
    42: "MERCHANT0000001",
    43: "DEMO SHOP            SAN FRANCISCO   USA",
    48: "92030123",
    49: "840",
  },
};

const reversal: IsoMessage = {
  mti: "0400",
  fields: {
    2: "5555555555554444",
    3: "000000",
    4: "000000005000",
    7: "1125142900",
    11: "000043",
    32: "510001",
    37: "633014000042",
    39: "68",
    41: "TERM0001",
    42: "MERCHANT0000001",
    49: "978",
    90: "010000004211251428060000040000100000000000",
    100: "510001",
  },
};

const asTheirs = (message: IsoMessage) => ({ 0: message.mti, ...message.fields }) as Record<number, string>;

describe("ISO 8583:1987 codec", () => {
  it("round-trips messages with a primary bitmap and with a secondary bitmap", () => {
    for (const message of [authorization, reversal]) {
      const packed = pack(message);
      expect(unpack(packed)).toEqual(message);
    }
    expect(pack(authorization).subarray(4, 12).toString("hex")).toBe(
      encodeBitmap(Object.keys(authorization.fields).map(Number)).toString("hex"),
    );
    expect(pack(reversal)[4]! & 0x80).toBe(0x80);
  });

  it("packs messages that the independent iso_8583 package decodes field for field", () => {
    for (const message of [authorization, reversal]) {
      expect(theirs.unpack(pack(message))).toEqual(asTheirs(message));
    }
  });

  it("decodes messages packed by the iso_8583 package (which always sends a secondary bitmap)", () => {
    for (const message of [authorization, reversal]) {
      expect(unpack(theirs.pack(asTheirs(message)))).toEqual(message);
    }
  });

  it("pads fixed fields per their class and length-prefixes variable ones", () => {
    const packed = pack({ mti: "0800", fields: { 4: "1999", 11: "7", 41: "T1", 70: "301" } }).toString("latin1");
    expect(packed).toContain("000000001999");
    expect(packed).toContain("000007");
    expect(packed).toContain("T1      ");
    expect(
      pack({ mti: "0100", fields: { 2: "4242424242424242" } })
        .toString("latin1")
        .slice(12),
    ).toBe("164242424242424242");
    expect(
      pack({ mti: "0100", fields: { 48: "92030123" } })
        .toString("latin1")
        .slice(12),
    ).toBe("00892030123");
  });

  it("refuses values that break the field spec", () => {
    expect(() => pack({ mti: "0100", fields: { 4: "12a" } })).toThrow(/field 4/);
    expect(() => pack({ mti: "0100", fields: { 2: "4".repeat(20) } })).toThrow(/field 2/);
    expect(() => pack({ mti: "0100", fields: { 41: "TOO LONG TERMINAL" } })).toThrow(/field 41/);
    expect(() => pack({ mti: "0100", fields: { 64: "x" } })).toThrow(/spec table/);
    expect(() => pack({ mti: "100", fields: {} })).toThrow(/MTI/);
  });

  it("detects garbled input instead of misreading it", () => {
    const packed = pack(authorization);
    expect(() => unpack(packed.subarray(0, packed.length - 3))).toThrow(/garbled/);
    expect(() => unpack(Buffer.concat([packed, Buffer.from("X")]))).toThrow(/garbled/);
    expect(() => unpack(Buffer.from("GARBAGE!GARBAGE!"))).toThrow(/garbled/);
    const corrupted = Buffer.from(packed);
    corrupted[12] = 0x41; // the PAN's length prefix becomes "A6"
    expect(() => unpack(corrupted)).toThrow(/garbled/);
  });

  it("answers a request MTI with its response MTI", () => {
    expect(["0100", "0200", "0220", "0400", "0600", "0800"].map(responseMti)).toEqual([
      "0110",
      "0210",
      "0230",
      "0410",
      "0610",
      "0810",
    ]);
  });

  it("lists bitmap fields in order, leaving out bit 1 (the secondary-bitmap flag)", () => {
    expect(decodeBitmap(encodeBitmap([2, 3, 64, 90, 128]), 0).fields).toEqual([2, 3, 64, 90, 128]);
  });
});

describe("2-byte length-prefixed framing", () => {
  it("reassembles frames split and merged across TCP chunks", () => {
    const a = frame(pack(authorization));
    const b = frame(pack(reversal));
    expect(a.readUInt16BE(0)).toBe(a.length - 2);
    const stream = Buffer.concat([a, b]);
    const decoder = new FrameDecoder();
    const frames = [
      ...decoder.push(stream.subarray(0, 1)),
      ...decoder.push(stream.subarray(1, 40)),
      ...decoder.push(stream.subarray(40, a.length + 5)),
      ...decoder.push(stream.subarray(a.length + 5)),
    ];
    expect(frames.map(unpack)).toEqual([authorization, reversal]);
  });
});
