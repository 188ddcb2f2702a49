/**
 * Random bytes from the platform CSPRNG (`crypto.getRandomValues`, in Workers and in Node), drawn
 * 4 KiB at a time and handed out in slices. Each call into the CSPRNG has a fixed cost that
 * dwarfs a 12-byte nonce or a 32-byte key; the vault takes four such draws per card, and drawing
 * them one by one cost a tenth of its CPU under load. Every byte is handed out once and zeroed in
 * the pool as it leaves, so key material does not linger there after use.
 */
const BLOCK_BYTES = 4096;
const pool = new Uint8Array(BLOCK_BYTES);
let offset = BLOCK_BYTES;

export function randomBytesFromPool(length: number): Uint8Array {
  if (length > BLOCK_BYTES) return crypto.getRandomValues(new Uint8Array(length));
  if (offset + length > BLOCK_BYTES) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const out = pool.slice(offset, offset + length);
  pool.fill(0, offset, offset + length);
  offset += length;
  return out;
}
