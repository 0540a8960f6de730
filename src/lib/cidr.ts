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
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
    throw new Error(`"${text}" has an invalid prefix length`);
  }
  return { family: ip.family, bits: mask(ip.value, prefix, width), prefix, text: text.trim() };
}

/** parseCidrList parses a comma-separated list; an empty string is an empty list. */
export function parseCidrList(text: string): Cidr[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean).map(parseCidr);
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
