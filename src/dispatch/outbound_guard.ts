// Outbound safety: a delivery may not reach a private, loopback, link-local or otherwise
// internal address — given as an IP or as a host name that resolves to one — unless
// HOOKD_ALLOW_NETS allows it. Otherwise anyone who can add a trigger could probe the
// network hookd runs in.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { cidrContains, embeddedIpv4, parseCidr, type Cidr } from "../lib/cidr";

const INTERNAL_NETS: [string, string][] = [
  ["0.0.0.0/8", "unspecified"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared (carrier-grade NAT)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["64:ff9b:1::/48", "private (local-use NAT64)"],
  ["fc00::/7", "private (unique local)"],
  ["fe80::/10", "link-local"],
  ["ff00::/8", "multicast"],
];
const INTERNAL: [Cidr, string][] = INTERNAL_NETS.map(([net, label]) => [parseCidr(net), label]);

/**
 * internalLabel names the kind of internal address ip is ("loopback", "private", …), or null for a
 * public one. An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4, IPv4-compatible) is
 * what its IPv4 address is: 64:ff9b::7f00:1 is loopback.
 */
export function internalLabel(ip: string): string | null {
  const v4 = embeddedIpv4(ip);
  if (v4) return internalLabel(v4);
  return INTERNAL.find(([net]) => cidrContains(net, ip))?.[1] ?? null;
}

function allowed(allowNets: Cidr[], ip: string): boolean {
  const v4 = embeddedIpv4(ip);
  return allowNets.some((net) => cidrContains(net, ip) || (v4 !== null && cidrContains(net, v4)));
}

/** refusalFor answers why ip may not be reached under allowNets, or null when it may. */
export function refusalFor(host: string, ip: string, allowNets: Cidr[]): string | null {
  const label = internalLabel(ip);
  if (label === null || allowed(allowNets, ip)) return null;
  const via = host === ip ? "" : ` (${host} resolves to ${ip})`;
  const single = isIP(ip) === 4 ? `${ip}/32` : `${ip}/128`;
  return `refused: ${ip} is a ${label} address${via}; deliveries to private, loopback and link-local addresses are blocked unless HOOKD_ALLOW_NETS allows them (e.g. HOOKD_ALLOW_NETS=${single})`;
}

const CACHE_MS = 5_000;
const CACHE_MAX = 1_000;

/** GuardAnswer is why a host must not be reached (and which of its addresses was refused), or the checked addresses to connect to, in the resolver's order. */
export type GuardAnswer =
  | { refusal: string; refusedAddress: string; addresses?: undefined }
  | { refusal: null; addresses: string[] };

/**
 * OutboundGuard checks target hosts, resolving names and caching the answer briefly so the hot
 * path rarely waits for DNS. It answers the addresses it checked: the request must connect to one
 * of those, or a name that resolves again (DNS rebinding) could lead somewhere unchecked.
 */
export class OutboundGuard {
  private cache = new Map<string, { answer: GuardAnswer; until: number }>();

  constructor(
    private allowNets: Cidr[],
    private resolve: (host: string) => Promise<string[]> = resolveAll,
  ) {}

  /** cached answers check's answer while it is still cached, at once (most attempts go to a host checked moments ago). */
  cached(hostname: string): GuardAnswer | undefined {
    const hit = this.cache.get(bare(hostname));
    return hit && hit.until > Date.now() ? hit.answer : undefined;
  }

  /** check answers why a request to hostname must not be sent, or the addresses to send it to; a name that does not resolve throws. */
  async check(hostname: string): Promise<GuardAnswer> {
    const hit = this.cached(hostname);
    if (hit) return hit;
    const host = bare(hostname);
    // Every address a name resolves to must pass, so the one connected to passes whichever it is.
    const ips = isIP(host) ? [host] : await this.resolve(host);
    if (ips.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: "ENOTFOUND" });
    const refused = ips
      .map((ip) => ({ ip, refusal: refusalFor(host, ip, this.allowNets) }))
      .find((r) => r.refusal !== null);
    const answer: GuardAnswer = refused
      ? { refusal: refused.refusal!, refusedAddress: refused.ip }
      : { refusal: null, addresses: ips };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(host, { answer, until: Date.now() + CACHE_MS });
    return answer;
  }
}

/** bare strips the brackets of an IPv6 literal host. */
const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1");

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}
