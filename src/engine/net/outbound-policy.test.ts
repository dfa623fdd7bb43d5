import { describe, expect, it } from 'vitest';
import { isPrivateAddress, parseOutboundAllow, refusal, type OutboundPolicy } from './outbound-policy';

const policy = (allow = '', ownPorts: number[] = []): OutboundPolicy => ({ allow: parseOutboundAllow(allow), ownPorts: new Set(ownPorts) });
const check = (p: OutboundPolicy, url: string, ip: string) => {
  const u = new URL(url);
  return refusal(p, 'webhook URL', url, u.hostname, Number(u.port || 80), ip);
};

describe('outbound policy', () => {
  it('calls loopback, unspecified, private, link-local, CGNAT and unique-local addresses private, in every spelling', () => {
    for (const ip of [
      '127.0.0.1',
      '127.255.0.9',
      '0.0.0.0',
      '10.0.0.5',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.5',
      '::ffff:a9fe:a9fe',
      '[::1]',
      // NAT64 and 6to4 addresses lead to the IPv4 address inside them.
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::127.0.0.1',
      '2002:0a00:0005::1',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:0808:0808::1'])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('refuses a private address with a message naming the URL, the address and the setting', () => {
    expect(check(policy(), 'http://10.0.0.5/', '10.0.0.5')).toBe('webhook URL http://10.0.0.5/ resolves to a private address (10.0.0.5); set KILN_OUTBOUND_ALLOW to allow it');
    expect(check(policy(), 'http://metadata.example/', '::ffff:169.254.169.254')).toMatch(/private address \(::ffff:169\.254\.169\.254\)/);
    expect(check(policy(), 'https://hooks.example.com/', '93.184.216.34')).toBeUndefined();
  });

  it('opens hosts, host:port, addresses and CIDR blocks named in the allowlist, and nothing else', () => {
    const p = policy('hooks.internal, 10.1.2.3:8443, 192.168.10.0/24, [fd00::1]:80');
    expect(check(p, 'http://hooks.internal:9000/', '10.9.9.9')).toBeUndefined();
    expect(check(p, 'https://10.1.2.3:8443/', '10.1.2.3')).toBeUndefined();
    expect(check(p, 'http://10.1.2.3:8080/', '10.1.2.3')).toMatch(/private address/);
    expect(check(p, 'http://ci.lan/', '192.168.10.77')).toBeUndefined();
    expect(check(p, 'http://ci.lan/', '192.168.11.77')).toMatch(/private address/);
    expect(check(p, 'http://[fd00::1]/', 'fd00::1')).toBeUndefined();
    expect(check(p, 'http://other.internal/', '10.9.9.9')).toMatch(/private address/);
  });

  it("refuses Kiln's own port on any address unless an entry names that port", () => {
    expect(check(policy('', [8080]), 'http://kiln.example.com:8080/api/users', '93.184.216.34')).toBe(
      "webhook URL http://kiln.example.com:8080/api/users points at Kiln's own port 8080; set KILN_OUTBOUND_ALLOW to host:8080 to allow it",
    );
    expect(check(policy('127.0.0.0/8', [8080]), 'http://127.0.0.1:8080/', '127.0.0.1')).toMatch(/own port 8080/);
    expect(check(policy('127.0.0.1:8080', [8080]), 'http://127.0.0.1:8080/', '127.0.0.1')).toBeUndefined();
  });
});
