/** What the attempt log keeps of a receiver's answer, and so all that is ever read of it. */
export const EXCERPT_BYTES = 1_024;

/**
 * The first `EXCERPT_BYTES` of a response body as text; the rest of the stream is cancelled
 * unread. The merchant sees the excerpt in the delivery log, so reading more would only cost
 * memory and time on an answer the gateway does not control (a receiver may stream forever).
 * A character cut at the limit is dropped rather than shown half.
 */
export async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const kept = new Uint8Array(EXCERPT_BYTES);
  let length = 0;
  try {
    while (length < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, EXCERPT_BYTES - length);
      kept.set(take, length);
      length += take.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(kept.subarray(0, length), { stream: true });
}
