// IPv4 / IPv6 address parsing and CIDR membership, without Node's `net` (the engine runs in browsers).
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 ranges and vice versa, since proxies report both.

/** A parsed address: 8 sixteen-bit words (IPv4 is stored IPv4-mapped: ::ffff:a.b.c.d). */
export type IpWords = readonly number[];

/** A parsed CIDR range over the same 128-bit space. */
export interface CidrRange {
  readonly words: IpWords;
  /** Prefix length in the 128-bit space (an IPv4 /n is 96 + n). */
  readonly prefix: number;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // Decimal only, no leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function mapped(v4: number[]): number[] {
  return [0, 0, 0, 0, 0, 0xffff, (v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
}

function parseGroups(text: string, allowV4Tail: boolean): number[] | undefined {
  if (text === "") return [];
  const parts = text.split(":");
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (allowV4Tail && i === parts.length - 1 && p.includes(".")) {
      const v4 = parseIpv4(p);
      if (v4 === undefined) return undefined;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return undefined;
      out.push(Number.parseInt(p, 16));
    }
  }
  return out;
}

function parseIpv6(text: string): number[] | undefined {
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone); // a zone id ("fe80::1%eth0") does not change the address
  const gap = text.indexOf("::");
  if (gap >= 0) {
    if (text.indexOf("::", gap + 1) >= 0) return undefined;
    const head = parseGroups(text.slice(0, gap), false);
    const tail = parseGroups(text.slice(gap + 2), true);
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
    return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const groups = parseGroups(text, true);
  return groups !== undefined && groups.length === 8 ? groups : undefined;
}

/** Parse an IPv4 or IPv6 address (brackets and zone ids tolerated); undefined when it is not one. */
export function parseIp(text: unknown): IpWords | undefined {
  if (typeof text !== "string" || text.length > 64) return undefined;
  let s = text.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  if (s.includes(":")) return parseIpv6(s);
  const v4 = parseIpv4(s);
  return v4 === undefined ? undefined : mapped(v4);
}

/** Parse "addr/len" (or a bare address, a single-host range); undefined when malformed. */
export function parseCidr(text: unknown): CidrRange | undefined {
  if (typeof text !== "string") return undefined;
  const s = text.trim();
  const slash = s.indexOf("/");
  const addr = slash < 0 ? s : s.slice(0, slash);
  const words = parseIp(addr);
  if (words === undefined) return undefined;
  const isV4 = !addr.includes(":");
  const max = isV4 ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    len = Number(p);
    if (len > max) return undefined;
  }
  return { words, prefix: isV4 ? 96 + len : len };
}

/** Whether an address lies in a range (host bits of the range are ignored). */
export function ipInCidr(ip: IpWords, range: CidrRange): boolean {
  let bits = range.prefix;
  for (let i = 0; i < 8 && bits > 0; i++) {
    const take = Math.min(bits, 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if ((ip[i]! & mask) !== (range.words[i]! & mask)) return false;
    bits -= take;
  }
  return true;
}
