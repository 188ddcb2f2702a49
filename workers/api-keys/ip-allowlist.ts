import { type CidrBlock, cidrContains, parseCidr, parseIp } from "../../common/cidr.js";
import { ApiError } from "../errors/api-error.js";

export function parseAllowlist(entries: readonly string[]): CidrBlock[] {
  return entries.flatMap((entry) => {
    const block = parseCidr(entry);
    return block ? [block] : [];
  });
}

/**
 * Refuses a request from outside the key's allowlist. The client address is `CF-Connecting-IP`,
 * which Cloudflare's edge sets and a client cannot forge. An empty allowlist allows every
 * address; a non-empty one refuses a request whose address is unknown.
 */
export function assertIpAllowed(allowlist: readonly CidrBlock[], connectingIp: string | undefined): void {
  if (allowlist.length === 0) return;
  const ip = connectingIp ? parseIp(connectingIp.trim()) : null;
  if (ip && allowlist.some((block) => cidrContains(block, ip))) return;
  throw new ApiError("ip_not_allowed");
}
