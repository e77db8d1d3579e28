// The outbound HTTP policy: which addresses Tickwork may call on an operator's behalf. Public unicast
// addresses are allowed; loopback, private, link-local (cloud metadata), unique-local, CGNAT,
// multicast, unspecified, reserved and IPv6 forms that embed an IPv4 address are refused unless
// TICKWORK_HTTP_ALLOW lists the host, the address or a CIDR around it. Free of configuration
// imports: lib/env validates the allow list with it, and tests build policies of their own.
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface OutboundPolicy {
  /** Host names allowed whatever they resolve to, lower case. */
  hosts: ReadonlySet<string>;
  /** Allowed networks (a single address is a /32 or /128). */
  networks: readonly [Address, number][];
}

const RANGE_WORDS: Record<string, string> = {
  loopback: "loopback",
  private: "private",
  linkLocal: "link-local (cloud metadata lives here)",
  uniqueLocal: "unique-local",
  carrierGradeNat: "carrier-grade NAT",
  multicast: "multicast",
  broadcast: "broadcast",
  unspecified: "unspecified",
  reserved: "reserved",
};

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/;

/** Parses TICKWORK_HTTP_ALLOW: comma-separated host names, IP addresses and CIDRs. Throws on a bad entry. */
export function parseAllowList(text: string | undefined): OutboundPolicy {
  const hosts = new Set<string>();
  const networks: [Address, number][] = [];
  for (const raw of (text ?? "").split(",")) {
    const entry = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
    if (!entry) continue;
    if (entry.includes("/")) {
      if (!ipaddr.isValidCIDR(entry)) throw new Error(`"${raw.trim()}" is not a valid CIDR`);
      networks.push(ipaddr.parseCIDR(entry));
    } else if (ipaddr.isValid(entry)) {
      const address = ipaddr.parse(entry);
      networks.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (HOST_NAME.test(entry)) {
      hosts.add(entry.replace(/\.$/, ""));
    } else {
      throw new Error(`"${raw.trim()}" is neither a host name, an IP address nor a CIDR`);
    }
  }
  return { hosts, networks };
}

const hostAllowed = (policy: OutboundPolicy, hostname: string | undefined) =>
  hostname !== undefined && policy.hosts.has(hostname.toLowerCase().replace(/\.$/, ""));

function listed(policy: OutboundPolicy, address: Address): boolean {
  return policy.networks.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/**
 * Why a connection to `address` (reached through `hostname`, if by name) is refused, or null when
 * it is allowed. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 */
export function addressRefusal(policy: OutboundPolicy, address: string, hostname?: string): string | null {
  if (hostAllowed(policy, hostname)) return null;
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  if (!ipaddr.isValid(bare)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(bare);
  if (listed(policy, parsed) || listed(policy, ipaddr.parse(bare))) return null;
  const range = parsed.range();
  // ::/96 (IPv4-compatible, deprecated) counts as unicast in ipaddr.js but may reach an IPv4 host.
  const embedsIpv4 = parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).match(ipaddr.parseCIDR("::/96"));
  if (range === "unicast" && !embedsIpv4) return null;
  const words = RANGE_WORDS[range] ?? `special-purpose (${embedsIpv4 ? "IPv4-compatible" : range})`;
  return `${bare} is a ${words} address, refused by the outbound HTTP policy (list it in TICKWORK_HTTP_ALLOW to allow it)`;
}

/** For a URL whose host is an IP literal: why it is refused, or null. Host names are checked when they resolve. */
export function literalRefusal(policy: OutboundPolicy, url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!ipaddr.isValid(host)) return null;
  return addressRefusal(policy, host);
}
