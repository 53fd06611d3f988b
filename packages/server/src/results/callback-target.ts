import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { ApiError } from "../http/api-error.js";

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
  ["192.168.0.0", 16],
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** True for an address a callback must not reach (IPv4-mapped IPv6 addresses are checked as IPv4). */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    return blocked.check(address, "ipv6");
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
