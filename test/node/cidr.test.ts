import { describe, expect, it } from "vitest";
import { cidrContains, parseCidr, parseIp } from "../../common/cidr.js";

const contains = (block: string, ip: string) => cidrContains(parseCidr(block)!, parseIp(ip)!);

describe("CIDR parsing and matching", () => {
  it("parses IPv4 and IPv6 addresses, including compressed and IPv4-embedded forms", () => {
    expect(parseIp("192.0.2.1")).toEqual({ version: 4, value: 0xc0000201n });
    expect(parseIp("::1")).toEqual({ version: 6, value: 1n });
    expect(parseIp("2001:db8::")?.value).toBe(0x20010db8n << 96n);
    expect(parseIp("::ffff:192.0.2.1")).toEqual({ version: 4, value: 0xc0000201n });
    for (const bad of [
      "256.0.0.1",
      "1.2.3",
      "01.2.3.4",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "fe80::1%eth0",
      "",
    ]) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it("matches addresses against blocks of either family", () => {
    expect(contains("203.0.113.0/24", "203.0.113.255")).toBe(true);
    expect(contains("203.0.113.0/24", "203.0.114.0")).toBe(false);
    expect(contains("0.0.0.0/0", "8.8.8.8")).toBe(true);
    expect(contains("198.51.100.7", "198.51.100.7")).toBe(true);
    expect(contains("198.51.100.7", "198.51.100.8")).toBe(false);
    expect(contains("2001:db8::/32", "2001:db8:ffff::1")).toBe(true);
    expect(contains("2001:db8::/32", "2001:db9::1")).toBe(false);
    expect(contains("::/0", "2001:db8::1")).toBe(true);
    expect(contains("203.0.113.0/24", "2001:db8::1")).toBe(false);
    expect(contains("::ffff:203.0.113.0/120", "203.0.113.50")).toBe(true);
  });

  it("refuses blocks with host bits set or impossible prefixes", () => {
    for (const bad of ["203.0.113.1/24", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "x/8"]) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });
});
