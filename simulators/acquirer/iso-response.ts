import type { IsoMessage } from "../../vault-service/iso8583/message.js";
import { responseMti } from "../../vault-service/iso8583/message.js";

/** Fields a response echoes from its request (ISO 8583:1987 response conventions). */
const ECHOED = [2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49, 70, 90, 100];

/** The response to `request` with field 39 `responseCode`: echoed fields, the PAN masked. */
export function respond(
  request: IsoMessage,
  responseCode: string,
  extra: Partial<Record<number, string>> = {},
): IsoMessage {
  const fields: Partial<Record<number, string>> = {};
  for (const field of ECHOED) if (request.fields[field] !== undefined) fields[field] = request.fields[field];
  // The PAN is echoed masked: a response has no reason to carry it in full.
  if (fields[2]) fields[2] = `${fields[2].slice(0, 6)}${"0".repeat(fields[2].length - 10)}${fields[2].slice(-4)}`;
  return { mti: responseMti(request.mti), fields: { ...fields, 39: responseCode, ...extra } };
}
