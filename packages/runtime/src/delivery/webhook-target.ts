import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** One entry of WEBHOOK_ALLOW: a host (any port), a host on one port, or an address range. */
export type AllowEntry = { kind: "host"; host: string; port?: number } | { kind: "range"; range: [Address, number] };

/** Where a webhook goes: the URL's host (brackets stripped, lower case), its port, and what it resolved to. */
export interface WebhookTarget {
  hostname: string;
  port: number;
  addresses: readonly string[];
}

// the IPv6 global unicast block: everything outside it (v4-compatible ::a.b.c.d, site-local, ...) is not the internet
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

/**
 * The named range an address belongs to ("loopback", "private", "linkLocal", "carrierGradeNat", ...),
 * or "unicast" for a public one. IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 it
 * carries. Anything unparseable is "invalid".
 */
export function addressRange(ip: string): string {
  let address: Address;
  try {
    address = ipaddr.process(ip);
  } catch {
    return "invalid";
  }
  const range = address.range();
  if (range === "unicast" && address.kind() === "ipv6" && !address.match(GLOBAL_UNICAST_V6)) return "reserved";
  return range;
}

/** True only for an address on the public internet: never loopback, private, link-local, metadata, CGNAT, multicast, reserved. */
export const isPublicAddress = (ip: string): boolean => addressRange(ip) === "unicast";

/** Reads one WEBHOOK_ALLOW entry; undefined when it is neither a host, a host:port nor a CIDR range. */
export function parseAllowEntry(raw: string): AllowEntry | undefined {
  const entry = raw.trim().toLowerCase();
  if (entry === "") return undefined;
  if (entry.includes("/")) {
    let range: [Address, number];
    try {
      range = ipaddr.parseCIDR(entry);
    } catch {
      return undefined;
    }
    const [address, bits] = range;
    // addresses are compared unmapped (::ffff:10.0.0.1 is 10.0.0.1), so a mapped range is too
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return { kind: "range", range: [(address as ipaddr.IPv6).toIPv4Address(), bits - 96] };
    }
    return { kind: "range", range };
  }
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) return hostEntry(bracketed[1]!, bracketed[2]);
  if (ipaddr.IPv6.isValid(entry)) return hostEntry(entry, undefined);
  const hostPort = /^([a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(entry);
  return hostPort ? hostEntry(hostPort[1]!, hostPort[2]) : undefined;
}

function hostEntry(host: string, port: string | undefined): AllowEntry | undefined {
  const portNumber = port === undefined ? undefined : Number(port);
  if (portNumber !== undefined && (portNumber < 1 || portNumber > 65535)) return undefined;
  const name = ipaddr.isValid(host) ? canonical(host) : host.replace(/\.$/, "");
  if (name === "") return undefined;
  return portNumber === undefined ? { kind: "host", host: name } : { kind: "host", host: name, port: portNumber };
}

/** Every entry parsed; entries that are not understood are left out (the environment is checked at start). */
export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  return entries.map(parseAllowEntry).filter((e): e is AllowEntry => e !== undefined);
}

/**
 * Whether one resolved address of a target may be contacted: a public address always; any other
 * only when an allow entry names the URL's host or that address (on the target's port, when the
 * entry has one) or a range that contains it.
 */
export function addressAllowed(allow: readonly AllowEntry[], target: Omit<WebhookTarget, "addresses">, ip: string): boolean {
  if (isPublicAddress(ip)) return true;
  let address: string;
  let parsed: Address;
  try {
    parsed = ipaddr.process(ip);
    address = parsed.toString();
  } catch {
    return false;
  }
  const hostname = ipaddr.isValid(target.hostname) ? canonical(target.hostname) : target.hostname.toLowerCase().replace(/\.$/, "");
  return allow.some((entry) => {
    if (entry.kind === "range") return parsed.kind() === entry.range[0].kind() && parsed.match(entry.range);
    if (entry.port !== undefined && entry.port !== target.port) return false;
    return entry.host === hostname || entry.host === address;
  });
}

/** A target passes when it resolved to at least one address and every one of them is allowed. */
export function targetAllowed(allow: readonly AllowEntry[], target: WebhookTarget): boolean {
  return target.addresses.length > 0 && target.addresses.every((ip) => addressAllowed(allow, target, ip));
}

const canonical = (ip: string): string => ipaddr.process(ip).toString();
