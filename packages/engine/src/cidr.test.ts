import { describe, expect, it } from "vitest";
import { ipInCidr, parseCidr, parseIp } from "./cidr.js";

function inCidr(ip: string, cidr: string): boolean {
  const a = parseIp(ip);
  const r = parseCidr(cidr);
  return a !== undefined && r !== undefined && ipInCidr(a, r);
}

describe("cidr", () => {
  it("matches IPv4 ranges at every prefix boundary", () => {
    expect(inCidr("10.1.2.3", "10.0.0.0/8")).toBe(true);
    expect(inCidr("11.0.0.0", "10.0.0.0/8")).toBe(false);
    expect(inCidr("192.168.1.127", "192.168.1.0/25")).toBe(true);
    expect(inCidr("192.168.1.128", "192.168.1.0/25")).toBe(false);
    expect(inCidr("172.31.255.255", "172.16.0.0/12")).toBe(true);
    expect(inCidr("172.32.0.0", "172.16.0.0/12")).toBe(false);
    expect(inCidr("8.8.8.8", "0.0.0.0/0")).toBe(true);
    expect(inCidr("8.8.8.8", "8.8.8.8")).toBe(true);
    expect(inCidr("8.8.8.9", "8.8.8.8/32")).toBe(false);
    expect(inCidr("10.9.9.9", "10.1.2.3/8")).toBe(true); // host bits of the range are ignored
  });

  it("matches IPv6 ranges, compressed forms and embedded IPv4", () => {
    expect(inCidr("2001:db8::1", "2001:db8::/32")).toBe(true);
    expect(inCidr("2001:db9::1", "2001:db8::/32")).toBe(false);
    expect(inCidr("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1/128")).toBe(true);
    expect(inCidr("fe80::1%eth0", "fe80::/10")).toBe(true);
    expect(inCidr("febf::1", "fe80::/10")).toBe(true);
    expect(inCidr("fec0::1", "fe80::/10")).toBe(false);
    expect(inCidr("::1", "::1/128")).toBe(true);
    expect(inCidr("2001:db8:0:0:1::", "2001:db8::/63")).toBe(true);
    expect(inCidr("[2001:db8::5]", "2001:db8::/64")).toBe(true);
  });

  it("treats IPv4-mapped IPv6 addresses as IPv4", () => {
    expect(inCidr("::ffff:10.1.2.3", "10.0.0.0/8")).toBe(true);
    expect(inCidr("::ffff:0a01:0203", "10.0.0.0/8")).toBe(true);
    expect(inCidr("10.1.2.3", "::ffff:10.0.0.0/104")).toBe(true);
    expect(inCidr("10.1.2.3", "2001:db8::/32")).toBe(false);
  });

  it("rejects malformed addresses and ranges", () => {
    for (const bad of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.2.3.4",
      "1.2.3.-1",
      "1::2::3",
      "12345::",
      "g::1",
      ":::",
      "1:2:3:4:5:6:7:8:9",
      42,
    ]) {
      expect(parseIp(bad)).toBeUndefined();
    }
    for (const bad of ["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/a", "/8", "10.0.0.0/8/8"]) {
      expect(parseCidr(bad)).toBeUndefined();
    }
    expect(parseIp("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIp("1:2:3:4:5:6:1.2.3.4")).toEqual([1, 2, 3, 4, 5, 6, 0x102, 0x304]);
  });
});
