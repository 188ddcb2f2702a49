// The edge's CIDR matcher (pure, no Worker APIs), so both doors read an allowlist alike.
import { cidrContains, parseCidr, parseIp } from "../../../common/cidr.js";

/**
 * Whether a key's `allowed_ips` admit `address` (issue 12, item 6: publishable keys' allowlists
 * are enforced at the vault), with the edge's semantics (`workers/api-keys/ip-allowlist.ts`): an
 * empty list admits every address; a non-empty one admits only an address inside one of its
 * blocks, never an unknown one. An IPv4-mapped IPv6 address matches its IPv4 entries.
 */
export function ipAllowed(allowlist: readonly string[], address: string | undefined): boolean {
  if (allowlist.length === 0) return true;
  // A link-local peer may carry its zone (`fe80::1%eth0`); the address is what is listed.
  const ip = address ? parseIp(address.split("%")[0] ?? "") : null;
  if (!ip) return false;
  return allowlist.some((entry) => {
    const block = parseCidr(entry);
    return block !== null && cidrContains(block, ip);
  });
}
