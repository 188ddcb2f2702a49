/**
 * A definite no from the wallet: a 4xx in PayPal's error shape, naming the issue (`details[0].issue`,
 * else the error's `name`: AUTHENTICATION_FAILURE has no details), or OAuth's `error` from the
 * token endpoint; or one the connector makes itself, in PayPal's words, for an amount it cannot
 * send (wallet-money.ts: `debugId` null). Nothing happened at the wallet; wallet-codes.ts says
 * what the issue means. `debugId` (`Paypal-Debug-Id`) is what PayPal's support asks for.
 */
export interface WalletRefusal {
  kind: "refused";
  status: number;
  issue: string;
  debugId: string | null;
}

/**
 * Whether a 4xx is a definite refusal. Not 408 (the request timed out: it may have run), 409
 * (PREVIOUS_REQUEST_IN_PROGRESS: the first request under this PayPal-Request-Id is still running,
 * its outcome unknown), 425 or 429 (rate limited: nothing happened, but it is no answer either; the
 * caller tries again).
 */
export function isDefiniteRefusal(status: number): boolean {
  return status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status);
}

/**
 * The body as text, read to at most `maxBytes`; null when it is longer, is not UTF-8, or the
 * connection fails (or the call's deadline passes) while it is read.
 */
export async function readBody(response: Response, maxBytes: number): Promise<string | null> {
  if (Number(response.headers.get("Content-Length")) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** JSON, or undefined for anything that is not (a garbled answer). An empty body is `null`. */
export function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** HTTP Basic credentials (RFC 7617): base64 of the UTF-8 `id:secret`. */
export function basicCredentials(id: string, secret: string): string {
  const bytes = new TextEncoder().encode(`${id}:${secret}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
