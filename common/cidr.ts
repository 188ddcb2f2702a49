/**
 * IPv4 and IPv6 addresses and CIDR blocks (RFC 4632, RFC 4291 §2.2-2.3), as integers, for the
 * per-key IP allowlist. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is treated as the IPv4
 * address it carries, so one allowlist entry covers both spellings.
 */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface CidrBlock {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const toGroups = (half: string): number[] | null => {
    if (half === "") return [];
    const groups: number[] = [];
    const pieces = half.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = parseIpv4(piece);
        if (v4 === null) return null;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        groups.push(Number.parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = toGroups(halves[0] ?? "");
  const tail = halves.length === 2 ? toGroups(halves[1] ?? "") : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

export function parseIp(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

/** `203.0.113.0/24`, `2001:db8::/32`, or a bare address (a /32 or /128). Host bits must be zero. */
export function parseCidr(text: string): CidrBlock | null {
  const [address, prefixText, extra] = text.trim().split("/");
  if (address === undefined || extra !== undefined) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  const bits: number = BITS[ip.version];
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    // A mapped IPv6 prefix (::ffff:a.b.c.d/120) is re-expressed against the IPv4 address.
    if (ip.version === 4 && address.includes(":")) prefix -= 96;
    if (prefix < 0 || prefix > bits) return null;
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((ip.value & hostMask) !== 0n) return null;
  return { version: ip.version, network: ip.value, prefix };
}

export function cidrContains(block: CidrBlock, ip: IpAddress): boolean {
  if (block.version !== ip.version) return false;
  const shift = BigInt(BITS[block.version] - block.prefix);
  return ip.value >> shift === block.network >> shift;
}

/** Whether every address of `inner` is in `outer` (a narrower or equal block of the same family). */
export function cidrWithin(inner: CidrBlock, outer: CidrBlock): boolean {
  return (
    inner.version === outer.version &&
    inner.prefix >= outer.prefix &&
    cidrContains(outer, { version: inner.version, value: inner.network })
  );
}
