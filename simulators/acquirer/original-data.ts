/**
 * Field 90, original data elements (ISO 8583:1987): original MTI (4), STAN (6), transmission
 * date and time (10), acquiring institution id (11) and forwarding institution id (11), all
 * zero-filled. Reversals, completions and inquiries use it to name the message they refer to.
 */
export interface OriginalData {
  mti: string;
  stan: string;
  transmittedAt: string;
  acquirerId: string;
}

export function encodeOriginalData(original: OriginalData): string {
  return (
    original.mti +
    original.stan.padStart(6, "0") +
    original.transmittedAt.padStart(10, "0") +
    original.acquirerId.padStart(11, "0") +
    "0".repeat(11)
  );
}

export function decodeOriginalData(field90: string): OriginalData {
  return {
    mti: field90.slice(0, 4),
    stan: field90.slice(4, 10),
    transmittedAt: field90.slice(10, 20),
    acquirerId: field90.slice(20, 31).replace(/^0+(?=\d)/, ""),
  };
}
