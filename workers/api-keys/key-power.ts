import { cidrWithin, parseCidr } from "../../common/cidr.js";
import type { AuthenticatedKey } from "../app-env.js";
import { ApiError } from "../errors/api-error.js";

/**
 * A key can never mint a key more powerful than itself (issue 12, item 6). A key being rolled
 * over is on its way out: it may not create or roll keys, or a stolen old key could outlive its
 * own expiry through a fresh one. And a key with an IP allowlist may only mint keys whose
 * allowlist lies within its own; with none given, the new key inherits the creator's.
 */
export function assertMayMint(caller: AuthenticatedKey): void {
  if (caller.rollingOver) throw new ApiError("api_key_cannot_mint");
}

/** The allowlist the new key gets: the one asked for, if within the creator's, else the creator's. */
export function mintedAllowlist(caller: AuthenticatedKey, requested: readonly string[] | undefined): string[] {
  if (caller.allowedIps.length === 0) return [...(requested ?? [])];
  if (requested === undefined || requested.length === 0) return caller.allowedIps.map(formatBlock);
  for (const [index, entry] of requested.entries()) {
    const block = parseCidr(entry);
    if (!block || !caller.allowedIps.some((outer) => cidrWithin(block, outer))) {
      throw new ApiError("parameter_invalid", {
        param: `allowed_ips[${index}]`,
        message: `Invalid allowed_ips[${index}]: must lie within the allowlist of the key making this request.`,
      });
    }
  }
  return [...requested];
}

function formatBlock(block: { version: 4 | 6; network: bigint; prefix: number }): string {
  if (block.version === 4) {
    const octets = [24n, 16n, 8n, 0n].map((shift) => String((block.network >> shift) & 0xffn));
    return `${octets.join(".")}/${block.prefix}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((block.network >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return `${groups.join(":")}/${block.prefix}`;
}
