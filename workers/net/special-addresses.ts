import { type CidrBlock, cidrContains, type IpAddress, parseCidr, parseIp } from "../../common/cidr.js";

const blocks = (list: string[]): CidrBlock[] => list.map((text) => parseCidr(text)!);

/**
 * Addresses that are not a public host on the Internet, from the IANA special-purpose address
 * registries (RFC 6890) plus the multicast and reserved ranges: anything a server-side request
 * must never be pointed at (OWASP SSRF prevention). Cloud metadata services live inside them
 * (169.254.169.254 in link-local, fd00:ec2::254 in unique local).
 */
const NOT_PUBLIC = blocks([
  "0.0.0.0/8", // "this network", includes the unspecified 0.0.0.0 (RFC 791, RFC 1122 §3.2.1.3)
  "10.0.0.0/8", // private (RFC 1918)
  "100.64.0.0/10", // shared address space, carrier-grade NAT (RFC 6598)
  "127.0.0.0/8", // loopback (RFC 1122 §3.2.1.3)
  "169.254.0.0/16", // link-local (RFC 3927), cloud metadata at 169.254.169.254
  "172.16.0.0/12", // private (RFC 1918)
  "192.0.0.0/24", // IETF protocol assignments (RFC 6890)
  "192.0.2.0/24", // documentation TEST-NET-1 (RFC 5737)
  "192.88.99.0/24", // 6to4 relay anycast, deprecated (RFC 7526)
  "192.168.0.0/16", // private (RFC 1918)
  "198.18.0.0/15", // benchmarking (RFC 2544)
  "198.51.100.0/24", // documentation TEST-NET-2 (RFC 5737)
  "203.0.113.0/24", // documentation TEST-NET-3 (RFC 5737)
  "224.0.0.0/4", // multicast (RFC 5771)
  "240.0.0.0/4", // reserved, and the limited broadcast 255.255.255.255 (RFC 1112, RFC 919)
  "::/96", // unspecified ::, loopback ::1 and the deprecated IPv4-compatible form (RFC 4291 §2.5.5.1)
  "64:ff9b:1::/48", // local-use IPv4/IPv6 translation (RFC 8215)
  "100::/64", // discard-only (RFC 6666)
  "2001::/32", // Teredo tunnelling (RFC 4380)
  "2001:2::/48", // benchmarking (RFC 5180)
  "2001:db8::/32", // documentation (RFC 3849)
  "3fff::/20", // documentation (RFC 9637)
  "fc00::/7", // unique local (RFC 4193), AWS metadata at fd00:ec2::254
  "fe80::/10", // link-local (RFC 4291 §2.5.6)
  "fec0::/10", // site-local, deprecated (RFC 3879)
  "ff00::/8", // multicast (RFC 4291 §2.7)
]);

/** IPv6 prefixes that carry an IPv4 address a gateway hands on: NAT64 (RFC 6052) and 6to4 (RFC 3056). */
const NAT64 = parseCidr("64:ff9b::/96")!;
const SIX_TO_FOUR = parseCidr("2002::/16")!;

function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (cidrContains(NAT64, ip)) return { version: 4, value: ip.value & 0xffffffffn };
  if (cidrContains(SIX_TO_FOUR, ip)) return { version: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return null;
}

/**
 * The address of a URL host if it is an IP literal, else null (a host name). Takes the host as
 * `new URL().hostname` gives it: IPv6 in brackets, IPv4 already normalized by the WHATWG URL
 * parser from decimal, octal and hex spellings (`http://2130706433/` is `127.0.0.1`).
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is the IPv4 address it carries (see cidr.ts).
 */
export function hostAddress(hostname: string): IpAddress | null {
  return parseIp(hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname);
}

/** Whether an address is a host on the public Internet, an embedded IPv4 address included. */
export function isPublicAddress(ip: IpAddress): boolean {
  if (NOT_PUBLIC.some((block) => cidrContains(block, ip))) return false;
  const inner = embeddedIpv4(ip);
  return inner === null || isPublicAddress(inner);
}

/** 127.0.0.0/8 or ::1 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3). */
export function isLoopbackAddress(ip: IpAddress): boolean {
  return ip.version === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}
