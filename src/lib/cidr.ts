// IPv4/IPv6 CIDR parsing and matching, with no knowledge of hookd.
import { isIP } from "node:net";

/** Cidr is a parsed network: address family, network bits and prefix length. */
export interface Cidr {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
  text: string;
}

/** ipToBigInt converts an IPv4 or IPv6 address to its family and integer value. */
export function ipToBigInt(ip: string): { family: 4 | 6; value: bigint } | null {
  const family = isIP(ip);
  if (family === 4) {
    return { family, value: ip.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n) };
  }
  if (family !== 6) return null;
  const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  let text = ip;
  if (mapped) {
    const v4 = ipToBigInt(mapped[2]!)!.value;
    text = `${mapped[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - headParts.length - tailParts.length).fill("0");
  const groups = [...headParts, ...zeros, ...tailParts];
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n) };
}

/** parseCidr parses "10.0.0.0/8", "::1/128" or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr {
  const [addr, prefixText] = text.trim().split("/");
  const ip = ipToBigInt(addr ?? "");
  if (!ip) throw new Error(`"${text}" is not an IP network`);
  const width = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > width ||
    (prefixText !== undefined && !/^\d+$/.test(prefixText))
  ) {
    throw new Error(`"${text}" has an invalid prefix length`);
  }
  return { family: ip.family, bits: mask(ip.value, prefix, width), prefix, text: text.trim() };
}

/** parseCidrList parses a comma-separated list; an empty string is an empty list. */
export function parseCidrList(text: string): Cidr[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseCidr);
}

/** cidrContains tells whether ip lies in the network. */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const parsed = ipToBigInt(ip);
  if (!parsed || parsed.family !== cidr.family) return false;
  return mask(parsed.value, cidr.prefix, cidr.family === 4 ? 32 : 128) === cidr.bits;
}

function mask(value: bigint, prefix: number, width: number): bigint {
  const hostBits = BigInt(width - prefix);
  return (value >> hostBits) << hostBits;
}

// IPv6 ranges that carry an IPv4 address, and where: [network, shift of the 32 bits].
const V4_CARRIERS: [Cidr, bigint][] = [
  [parseCidr("::ffff:0:0/96"), 0n], // IPv4-mapped
  [parseCidr("::ffff:0:0:0/96"), 0n], // IPv4-translated (RFC 2765)
  [parseCidr("64:ff9b::/96"), 0n], // NAT64 well-known prefix (RFC 6052)
  [parseCidr("2002::/16"), 80n], // 6to4: 2002:AABB:CCDD::/48
  [parseCidr("::/96"), 0n], // IPv4-compatible (deprecated); :: and ::1 are not, see below
];

/**
 * embeddedIpv4 gives the IPv4 address an IPv6 address carries — IPv4-mapped or -translated,
 * NAT64 (64:ff9b::/96), 6to4 (2002::/16) or IPv4-compatible (::a.b.c.d) — or null.
 * :: and ::1 are the unspecified and loopback addresses, not IPv4-compatible ones.
 */
export function embeddedIpv4(ip: string): string | null {
  const parsed = ipToBigInt(ip);
  if (!parsed || parsed.family !== 6 || parsed.value <= 1n) return null;
  const carrier = V4_CARRIERS.find(([net]) => cidrContains(net, ip));
  if (!carrier) return null;
  const v4 = (parsed.value >> carrier[1]) & 0xffffffffn;
  return [24n, 16n, 8n, 0n].map((shift) => String((v4 >> shift) & 0xffn)).join(".");
}
