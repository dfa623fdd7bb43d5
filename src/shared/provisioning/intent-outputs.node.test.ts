import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { firstBootAgent } from './first-boot-agent';
import { mergeIntents, type ProvisioningIntentInput } from './intent';
import { toButane } from './to-butane';
import { toCloudConfig } from './to-cloud-config';
import { translateButane } from './translate-butane';
import { cloudInitSchema, ignitionValidate } from './validators.node';

/** One intent, two renderings; each checked by the real tool that will consume it. */
const INTENT: ProvisioningIntentInput = {
  hostname: 'web-1',
  users: [
    {
      name: 'deploy',
      sudo: true,
      groups: ['docker'],
      shell: '/bin/bash',
      sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKiln deploy@kiln'],
    },
  ],
  files: [
    { path: '/etc/motd', content: 'Welcome\n' },
    // "yes" and "0644" are booleans and octal numbers to PyYAML unless quoted.
    { path: '/etc/kiln/flag', content: 'yes', mode: 0o600, owner: 'deploy:deploy' },
    { path: '/etc/kiln/raw', content: 'a\u0001b\r\n' },
  ],
  units: [
    { name: 'app.service', contents: '[Unit]\nDescription=app\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' },
    { name: 'docker.service' },
    { name: 'later.timer', enabled: false, contents: '[Timer]\nOnCalendar=daily\n' },
  ],
  runcmd: ['echo hello > /tmp/hello'],
};

const EXPECTED_CLOUD_CONFIG = `#cloud-config
hostname: web-1
users:
  - name: deploy
    groups:
      - docker
    sudo: ALL=(ALL) NOPASSWD:ALL
    shell: /bin/bash
    ssh_authorized_keys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKiln deploy@kiln
write_files:
  - path: /etc/motd
    permissions: "0644"
    content: |
      Welcome
  - path: /etc/kiln/flag
    owner: deploy:deploy
    permissions: "0600"
    content: "yes"
    defer: true
  - path: /etc/kiln/raw
    permissions: "0644"
    encoding: b64
    content: YQFiDQo=
  - path: /etc/systemd/system/app.service
    permissions: "0644"
    content: |
      [Unit]
      Description=app
      [Service]
      ExecStart=/bin/true
      [Install]
      WantedBy=multi-user.target
  - path: /etc/systemd/system/later.timer
    permissions: "0644"
    content: |
      [Timer]
      OnCalendar=daily
runcmd:
  - [ systemctl, daemon-reload ]
  - [ systemctl, enable, --now, app.service ]
  - [ systemctl, enable, --now, docker.service ]
  - echo hello > /tmp/hello
`;

/** What cloud-init's own YAML parser (PyYAML, YAML 1.1) makes of the text. */
function pyyamlLoad(text: string): unknown {
  const py = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], {
    input: text,
    encoding: 'utf8',
  });
  if (py.status !== 0) throw new Error(`python3/PyYAML failed: ${py.stderr}`);
  return JSON.parse(py.stdout);
}

function expectCloudConfigValid(userData: string): void {
  const run = cloudInitSchema(userData);
  expect(run).toEqual({ status: 0, output: 'Valid cloud-config: user-data' });
}

describe('toCloudConfig', () => {
  const userData = toCloudConfig(INTENT);

  it('renders #cloud-config user-data that cloud-init schema accepts', () => {
    expect(userData).toBe(EXPECTED_CLOUD_CONFIG);
    expectCloudConfigValid(userData);
  });

  it('means the same to PyYAML as to us: quoted strings stay strings, base64 decodes to the bytes', () => {
    const loaded = pyyamlLoad(userData) as { write_files: { content: string; permissions: string }[] };
    expect(loaded.write_files[1]).toMatchObject({ content: 'yes', permissions: '0600' });
    expect(Buffer.from(loaded.write_files[2]?.content ?? '', 'base64').toString('utf8')).toBe('a\u0001b\r\n');
  });

  it('cloud-init schema rejects a broken config, so the check can fail', () => {
    const run = cloudInitSchema('#cloud-config\nwrite_files:\n  - path: /etc/x\n    permissions: 0644\nusers: 7\n');
    expect(run.status).not.toBe(0);
    expect(run.output).toContain("write_files.0.permissions: 420 is not of type 'string'");
  });
});

describe('toButane', () => {
  it('renders Butane that translates cleanly into a config ignition-validate accepts', () => {
    const butane = toButane(INTENT);
    expect(butane).toContain('variant: flatcar\nversion: 1.0.0\n');
    expect(butane).toContain('      mode: 0600\n');
    const result = translateButane(butane, { strict: true });
    expect(result.errors).toEqual([]);
    expect(ignitionValidate(result.ignition)).toEqual({ status: 0, output: '' });

    const files = result.ignition?.storage?.files ?? [];
    expect(files.map((f) => [f.path, f.mode])).toEqual([
      ['/etc/hostname', 0o644],
      ['/etc/motd', 0o644],
      ['/etc/kiln/flag', 0o600],
      ['/etc/kiln/raw', 0o644],
      ['/opt/kiln/bin/kiln-runcmd', 0o755],
    ]);
    expect(files[0]?.contents?.source).toBe('data:,web-1');
    expect(files[2]).toMatchObject({ user: { name: 'deploy' }, group: { name: 'deploy' }, contents: { source: 'data:,yes' } });
    expect(result.ignition?.passwd?.users?.[0]?.groups).toEqual(['docker', 'sudo']);
    expect(result.ignition?.systemd?.units?.map((u) => [u.name, u.enabled])).toEqual([
      ['app.service', true],
      ['docker.service', true],
      ['later.timer', undefined],
      ['kiln-runcmd.service', true],
    ]);
  });

  it('targets fcos with its admin group', () => {
    const result = translateButane(toButane({ users: [{ name: 'ops', sudo: true }] }, { variant: 'fcos' }), { strict: true });
    expect(result.ignition).toEqual({ ignition: { version: '3.3.0' }, passwd: { users: [{ groups: ['wheel'], name: 'ops' }] } });
    expect(ignitionValidate(result.ignition)).toEqual({ status: 0, output: '' });
  });
});

describe('the first-boot agent merged into an intent', () => {
  const merged = mergeIntents(INTENT, firstBootAgent({ metadataUrl: 'http://169.254.169.254/kiln/v1' }).intent);

  it('is valid user-data, enabling the agent unit', () => {
    const userData = toCloudConfig(merged);
    expect(userData).toContain('  - [ systemctl, enable, --now, kiln-report-ready.service ]\n');
    expectCloudConfigValid(userData);
  });

  it('is valid Ignition, with the script executable and the unit enabled', () => {
    const result = translateButane(toButane(merged), { strict: true });
    expect(result.errors).toEqual([]);
    expect(ignitionValidate(result.ignition)).toEqual({ status: 0, output: '' });
    const script = result.ignition?.storage?.files?.find((f) => f.path === '/opt/kiln/bin/kiln-report-ready');
    expect(script?.mode).toBe(0o755);
    const source = script?.contents?.source ?? '';
    // A shell script has many spaces and newlines: base64 is the shorter encoding, as Butane would pick.
    expect(source.startsWith('data:;base64,')).toBe(true);
    expect(Buffer.from(source.slice('data:;base64,'.length), 'base64').toString('utf8')).toContain('kiln-report-ready');
    expect(result.ignition?.systemd?.units?.find((u) => u.name === 'kiln-report-ready.service')?.enabled).toBe(true);
  });
});
