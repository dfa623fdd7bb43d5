import { BlockList, isIP } from 'node:net';

/** One KILN_OUTBOUND_ALLOW entry: a host name, an address or a CIDR block, optionally with a port. */
export type OutboundAllowEntry =
  | { kind: 'host'; host: string; port?: number | undefined; text: string }
  | { kind: 'cidr'; list: BlockList; port?: number | undefined; text: string };

/**
 * What Kiln may call on its own (webhook stages, notifications). By default nothing on this
 * machine or a private network: a pipeline editor must not reach the metadata service, the
 * database or Kiln's own API through a webhook.
 */
export interface OutboundPolicy {
  allow: readonly OutboundAllowEntry[];
  /** Kiln's own listening ports, refused on every address; main.ts adds the port once it listens. */
  ownPorts: Set<number>;
}

export const defaultOutboundPolicy = (): OutboundPolicy => ({ allow: [], ownPorts: new Set() });

const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** Loopback, unspecified, private, link-local, shared (CGNAT), multicast and reserved ranges. */
const FORBIDDEN = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(net, prefix, 'ipv4');
  // ::/96 holds :: and ::1 and the old IPv4-compatible forms; IPv4-mapped ones are checked as IPv4 by BlockList.
  for (const [net, prefix] of [
    ['::', 96],
    ['fe80::', 10],
    ['fc00::', 7],
    ['ff00::', 8],
    ['64:ff9b:1::', 48],
  ] as const)
    list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad included). */
function groups(ip: string): number[] {
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const text = quad ? ip.slice(0, quad.index) + [(+quad[1]! << 8) | +quad[2]!, (+quad[3]! << 8) | +quad[4]!].map((n) => n.toString(16)).join(':') : ip;
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address carries, which is where it really leads. */
function embeddedIPv4(ip: string): string | undefined {
  const g = groups(ip);
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return undefined;
}

/** True for an address no webhook may reach unless it is allowed explicitly. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(bare) === 0) return true;
  if (FORBIDDEN.check(bare, family(bare))) return true;
  const inner = family(bare) === 'ipv6' ? embeddedIPv4(bare) : undefined;
  return inner !== undefined && FORBIDDEN.check(inner, 'ipv4');
}

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function parsePort(text: string, entry: string): number {
  const port = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || port < 1 || port > 65535) throw new Error(`'${entry}' has no valid port (1-65535)`);
  return port;
}

function parseEntry(entry: string): OutboundAllowEntry {
  let host = entry;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2], entry);
  } else if (entry.split(':').length === 2) {
    const at = entry.lastIndexOf(':');
    host = entry.slice(0, at);
    port = parsePort(entry.slice(at + 1), entry);
  }
  const slash = host.indexOf('/');
  const address = slash < 0 ? host : host.slice(0, slash);
  if (isIP(address)) {
    const bits = isIP(address) === 6 ? 128 : 32;
    const prefix = slash < 0 ? bits : Number(host.slice(slash + 1));
    if (!/^[0-9]{1,3}$/.test(slash < 0 ? String(bits) : host.slice(slash + 1)) || prefix > bits) throw new Error(`'${entry}' has an invalid prefix length (0-${bits})`);
    const list = new BlockList();
    list.addSubnet(address, prefix, family(address));
    return { kind: 'cidr', list, port, text: entry };
  }
  if (slash >= 0 || !HOST.test(host.toLowerCase())) throw new Error(`'${entry}' is not a host name, host:port, address or CIDR block`);
  return { kind: 'host', host: host.toLowerCase(), port, text: entry };
}

/** Parses KILN_OUTBOUND_ALLOW: `hooks.internal, 10.1.2.3:8443, 192.168.10.0/24, [fd00::1]:80`. Throws naming the bad entry. */
export function parseOutboundAllow(value: string): OutboundAllowEntry[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map(parseEntry);
}

const bare = (ip: string) => ip.replace(/^\[|\]$/g, '');
const matches = (entry: OutboundAllowEntry, host: string, ip: string | undefined) =>
  entry.kind === 'host' ? entry.host === host : ip !== undefined && isIP(ip) !== 0 && entry.list.check(ip, family(ip));

/**
 * Why `url` may not be called at `ip` (undefined when it may). `what` starts the sentence, e.g.
 * "webhook URL"; the answer tells the user which setting opens it. An entry without a port opens
 * every port but Kiln's own: reaching Kiln's API from a webhook takes an entry that names the port.
 */
export function refusal(policy: OutboundPolicy, what: string, url: string, hostname: string, port: number, ip: string | undefined): string | undefined {
  const host = bare(hostname).toLowerCase();
  const address = ip === undefined ? undefined : bare(ip);
  const entries = policy.allow.filter((e) => matches(e, host, address) && (e.port === undefined || e.port === port));
  if (policy.ownPorts.has(port)) {
    if (entries.some((e) => e.port === port)) return undefined;
    return `${what} ${url} points at Kiln's own port ${port}; set KILN_OUTBOUND_ALLOW to host:${port} to allow it`;
  }
  if (entries.length > 0 || address === undefined || !isPrivateAddress(address)) return undefined;
  return `${what} ${url} resolves to a private address (${address}); set KILN_OUTBOUND_ALLOW to allow it`;
}
