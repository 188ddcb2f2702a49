import { parseIp } from "../../common/cidr.js";

/**
 * The address a stranger is counted under: `CF-Connecting-IP`, which Cloudflare's edge sets and
 * a client cannot forge. An IPv6 client is counted by its /64, the block one subscriber gets
 * (RFC 6177), or it could walk 2^64 addresses to get a fresh allowance each. Without the header
 * (only outside Cloudflare: local development, tests) every client shares one count.
 */
export function clientAddress(connectingIp: string | undefined): string {
  const ip = connectingIp ? parseIp(connectingIp.trim()) : null;
  if (!ip) return "unknown";
  return ip.version === 4 ? `v4:${ip.value}` : `v6:${(ip.value >> 64n).toString(16)}/64`;
}
