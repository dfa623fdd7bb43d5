import { describe, expect, it } from 'vitest';
import { firstBootAgent } from './first-boot-agent';
import { mergeIntents, validateIntent } from './intent';
import { toCloudConfig } from './to-cloud-config';

describe('validateIntent', () => {
  it('accepts a minimal intent and fills the defaults', () => {
    const result = validateIntent({ files: [{ path: '/etc/motd', content: 'hi\n' }] });
    expect(result).toEqual({
      ok: true,
      intent: { users: [], files: [{ path: '/etc/motd', mode: 0o644, content: 'hi\n' }], units: [], runcmd: [] },
    });
  });

  it('names every bad field', () => {
    const result = validateIntent({
      hostname: 'Web_1',
      users: [{ name: 'Root!', sshAuthorizedKeys: ['not a key'] }, { name: 'ops' }, { name: 'ops' }],
      files: [
        { path: '../../etc/passwd', content: 'x' },
        { path: '/srv/../etc/shadow', content: 'x' },
        { path: '/etc/a', content: 'x', mode: 0o10000 },
        { path: '/etc/b', content: 42 },
      ],
      units: [{ name: 'nginx' }],
      runcmd: [''],
      packages: ['nginx'],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
    expect(byField).toMatchObject({
      hostname: "hostname must be lowercase letters, digits and '-', in dot-separated labels",
      'users.0.name': "user name must start with a-z or '_' and hold only a-z, 0-9, '_' or '-' (max 32)",
      'users.0.sshAuthorizedKeys.0': 'ssh key must look like "ssh-ed25519 AAAA… comment"',
      'files.0.path': 'path not absolute: file paths must be absolute and normalized, like /etc/motd',
      'files.1.path': 'path is not fully simplified: file paths must be absolute and normalized, like /etc/motd',
      'files.2.mode': 'mode must be between 0 and 0o7777',
      'units.0.name': expect.stringContaining('unit name must end with .service'),
      'runcmd.0': 'a command must not be empty',
    });
    expect(byField['files.3.content']).toMatch(/expected string/);
    expect(result.errors.map((e) => e.field)).toContain('(intent)');
  });

  it('rejects duplicate users, file paths and units by index', () => {
    const result = validateIntent({
      users: [{ name: 'ops' }, { name: 'ops' }],
      files: [
        { path: '/a', content: '' },
        { path: '/a', content: '' },
      ],
      units: [{ name: 'a.service' }, { name: 'a.service' }],
    });
    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'users.1', message: 'duplicate user ops' },
      { field: 'files.1', message: 'duplicate file path /a' },
      { field: 'units.1', message: 'duplicate unit a.service' },
    ]);
  });

  it('makes generators throw on an invalid intent, naming the fields', () => {
    expect(() => toCloudConfig({ files: [{ path: 'etc/motd', content: '' }] })).toThrow(/files\.0\.path: path not absolute/);
  });
});

describe('mergeIntents', () => {
  it('concatenates fragments, the last hostname winning', () => {
    const agent = firstBootAgent({ metadataUrl: 'http://169.254.169.254/kiln/v1' });
    const merged = mergeIntents({ hostname: 'a', runcmd: ['true'] }, agent.intent, { hostname: 'b' });
    expect(merged.hostname).toBe('b');
    expect(merged.files?.map((f) => f.path)).toEqual(['/opt/kiln/bin/kiln-report-ready']);
    expect(merged.units?.map((u) => u.name)).toEqual(['kiln-report-ready.service']);
    expect(merged.runcmd).toEqual(['true']);
    expect(validateIntent(merged).ok).toBe(true);
  });
});

describe('firstBootAgent options', () => {
  it('bakes the metadata URL and state directory into the unit and script', () => {
    const agent = firstBootAgent({ metadataUrl: 'http://127.0.0.1:9000/metadata/v1', stateDir: '/var/lib/kiln' });
    // No network-online wait at boot: the script waits for a route itself.
    expect(agent.unit).not.toContain('network-online');
    expect(agent.unit).toContain('After=network.target');
    expect(agent.unit).toContain('ConditionPathExists=!/var/lib/kiln/report-ready.done');
    expect(agent.unit).toContain('Type=oneshot');
    expect(agent.unit).toContain('ExecStart=/opt/kiln/bin/kiln-report-ready');
    expect(agent.script).toContain('METADATA=\'http://127.0.0.1:9000/metadata/v1\'; log "metadata URL baked into the image"');
  });

  it('refuses values that would have to be quoted in sh or systemd', () => {
    expect(() => firstBootAgent({ metadataUrl: 'http://x/$(reboot)' })).toThrow(/metadataUrl/);
    expect(() => firstBootAgent({ metadataUrl: 'http://x', stateDir: '/var/lib/my state' })).toThrow(/must hold only letters/);
    expect(() => firstBootAgent({ metadataUrl: 'http://x', stateDir: 'var/lib' })).toThrow(/absolute/);
  });
});
