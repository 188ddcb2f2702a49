/** FNV-1a over the string's UTF-16 code units, then MurmurHash3's fmix32 so every input bit reaches every output bit. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The two draws a decision takes (`RoutingContext`), derived from the payment's id: the same
 * payment always lands in the same place of a volume split and hedges alike, so a retried or
 * resumed payment does not re-draw, and different payments spread uniformly.
 */
export function routingDraws(paymentId: string): { draw: number; hedgeDraw: number } {
  return { draw: hash32(paymentId, 0) / 2 ** 32, hedgeDraw: hash32(paymentId, 0x9e3779b9) / 2 ** 32 };
}
