import { isIPv6 } from "node:net";
import type { Context } from "hono";

/**
 * The address a request's TCP connection came from, as the rate limit counts it: the socket's
 * peer, never a header a client could write (`X-Forwarded-For`). The vault is reached directly
 * by checkouts; a deployment behind a proxy or load balancer must have it preserve the client
 * address (PROXY protocol, or a listener that does) or every client counts as the proxy.
 *
 * IPv6 addresses count per /64: one subscriber usually holds a whole /64 (RFC 6177), so counting
 * single addresses would let one client take 2^64 buckets. Unknown when the request did not come
 * through the Node server (in-process tests), which then all share one bucket.
 */
export function clientAddress(c: Context): string {
  const address = peerAddress(c);
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  return `${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
}

/**
 * The socket peer's own address, as Node reports it (an IPv4-mapped IPv6 address as such), or
 * undefined when the request did not come through the Node server. What a key's IP allowlist is
 * checked against; `clientAddress` is the same address as the rate limit counts it.
 */
export function peerAddress(c: Context): string | undefined {
  try {
    const bindings = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    return bindings?.incoming?.socket?.remoteAddress || undefined;
  } catch {
    return undefined;
  }
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded (zone id dropped). */
function ipv6Groups(address: string): string[] {
  const [head = "", tail = ""] = address.split("%")[0]!.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") && tail ? tail.split(":") : [];
  const fill = Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...fill, ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}
