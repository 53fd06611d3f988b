import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction, type Socket } from "node:net";
import { ApiError } from "./api-error.js";

/**
 * Where a results callback may be sent. Private, loopback, link-local and unspecified addresses are
 * refused (a request must not make the server probe its own network) unless the configuration allows them
 * (`VEXIL_CALLBACK_ALLOW_PRIVATE=true`) or names the host (`VEXIL_CALLBACK_ALLOWED_HOSTS`). The check runs
 * when the request arrives (400) and again when each delivery connects (DNS may have changed).
 */
export interface CallbackPolicy {
  allowPrivate: boolean;
  /** Lower-case host names allowed whatever they resolve to. */
  allowedHosts: string[];
}

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["100::", 64],
  ["64:ff9b:1::", 48],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** The 16 bytes of a textual IPv6 address (already validated by isIP; a zone id is dropped). */
function ipv6Bytes(address: string): number[] {
  let text = address.replace(/%.*$/, "");
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted.slice(1).map(Number));
    text = `${text.slice(0, dotted.index)}0:0`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const groups = (part: string | undefined) =>
    part ? part.split(":").map((g) => Number.parseInt(g, 16)) : [];
  const left = groups(head);
  const right = groups(rest);
  const all =
    rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

const dottedQuad = (bytes: number[]) => bytes.join(".");

/**
 * The IPv4 addresses an IPv6 address carries, by the transition schemes that route to them: IPv4-compatible
 * (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96),
 * 6to4 (2002::/16) and Teredo (2001::/32, server and obfuscated client).
 */
export function embeddedIpv4(address: string): string[] {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const last = b.slice(12, 16);
  if (zeros(0, 10) && ((b[10] === 0 && b[11] === 0) || (b[10] === 0xff && b[11] === 0xff))) {
    return [dottedQuad(last)];
  }
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return [dottedQuad(last)];
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12))
    return [dottedQuad(last)];
  if (b[0] === 0x20 && b[1] === 0x02) return [dottedQuad(b.slice(2, 6))];
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) {
    return [dottedQuad(b.slice(4, 8)), dottedQuad(last.map((x) => x ^ 0xff))];
  }
  return [];
}

/**
 * True for an address a callback must not reach: private, loopback, link-local, unspecified, multicast or
 * reserved, and any IPv6 address embedding such an IPv4 address (see embeddedIpv4). Not an IP: true.
 */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    if (blocked.check(address, "ipv6")) return true;
    return embeddedIpv4(address).some((v4) => blocked.check(v4, "ipv4"));
  }
  return true;
}

/** The URL's host without IPv6 brackets, lower case. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

function isAllowedHost(host: string, policy: CallbackPolicy): boolean {
  return policy.allowPrivate || policy.allowedHosts.includes(host);
}

/** Parses and checks a callbackUrl (or a webhook url) when the request arrives; throws 400 naming `field`. */
export async function checkCallbackUrl(
  text: string,
  policy: CallbackPolicy,
  field = "body.callbackUrl",
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError(400, `${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ApiError(400, `${field} must use http or https`);
  if (url.username || url.password) throw new ApiError(400, `${field} must not carry credentials`);
  const host = hostOf(url);
  if (isAllowedHost(host, policy)) return url;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    } catch {
      throw new ApiError(400, `${field}: host '${host}' could not be resolved`);
    }
  }
  const refused = addresses.find(isBlockedAddress);
  if (refused !== undefined) {
    throw new ApiError(
      400,
      `${field}: '${host}' resolves to ${refused}, a private, loopback or link-local address; ` +
        "allow it with VEXIL_CALLBACK_ALLOW_PRIVATE=true or VEXIL_CALLBACK_ALLOWED_HOSTS",
    );
  }
  return url;
}

/** Thrown at delivery time for a target the policy refuses (not retried). */
export class RefusedCallbackTarget extends Error {
  override readonly name = "RefusedCallbackTarget";
}

/** Checks an IP-literal host before connecting (Node does not call `lookup` for those). */
export function assertDeliverableHost(url: URL, policy: CallbackPolicy): void {
  const host = hostOf(url);
  if (isAllowedHost(host, policy)) return;
  if (isIP(host) && isBlockedAddress(host))
    throw new RefusedCallbackTarget(`callback target ${host} is a private, loopback or link-local address`);
}

/**
 * A `lookup` for http.request that refuses blocked addresses, so the connection goes to an address that
 * was checked (no window between the check and the connect for DNS rebinding).
 */
export function guardedLookup(policy: CallbackPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const host = hostname.toLowerCase();
    lookup(hostname, { all: true, verbatim: true, family: options.family as number | undefined })
      .then((entries) => {
        const usable = isAllowedHost(host, policy)
          ? entries
          : entries.filter((e) => !isBlockedAddress(e.address));
        if (usable.length === 0) {
          const error = new RefusedCallbackTarget(
            `callback host ${hostname} resolves only to private, loopback or link-local addresses`,
          );
          callback(error as NodeJS.ErrnoException, "", 4);
          return;
        }
        if (options.all)
          callback(
            null,
            usable.map((e) => ({ address: e.address, family: e.family })),
          );
        else callback(null, usable[0]!.address, usable[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, "", 4));
  };
}

/**
 * Checks the address a socket actually connected to (after any lookup, proxy-free), before a byte of the
 * request is written: the last line of defence should a lookup path ever bypass guardedLookup.
 */
export function guardConnectedSocket(socket: Socket, url: URL, policy: CallbackPolicy): void {
  if (isAllowedHost(hostOf(url), policy)) return;
  const check = () => {
    const address = socket.remoteAddress;
    if (address !== undefined && isBlockedAddress(address)) {
      socket.destroy(new RefusedCallbackTarget(`callback target connected to ${address}, a private address`));
    }
  };
  // Prepended so it runs before the request's buffered writes flush on "connect".
  if (socket.connecting) socket.prependOnceListener("connect", check);
  else check();
}
