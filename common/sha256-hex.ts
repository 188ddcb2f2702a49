/** SHA-256 of UTF-8 text, as lowercase hex: how the audit trail names text it does not copy, and what an Idempotency-Key is bound to. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
