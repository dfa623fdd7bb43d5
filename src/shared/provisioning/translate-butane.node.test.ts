import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostic';
import { translateButane } from './translate-butane';
import { ignitionValidate } from './validators.node';

/** Every config the translator emits must also satisfy the real Ignition validator, silently. */
function expectIgnitionValid(config: unknown): void {
  expect(ignitionValidate(config)).toEqual({ status: 0, output: '' });
}

// The Flatcar example of seed 004, verbatim except for one detail: the blog lost the trailing
// spaces of `WantedBy=multi-user.target     ` that its butane output ("…target     \n") shows.
const SEED_BUTANE = `variant: flatcar
version: 1.0.0
storage:
  files:
    - filesystem: "root"
      path:       "/etc/hostname"
      mode:       0644
      contents:
        inline: chhanz-coreos

passwd:
  users:
    - name: test
      ssh_authorized_keys:
        - "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0g+ZTxC7weoIJLUafOgrm+h"

kernel_arguments:
  should_exist:
    - selinux=0

systemd:
  units:
    - name: nginx.service
      enabled: true
      contents: |
        [Unit]
        Description=NGINX example
        After=docker.service
        Requires=docker.service
        [Service]
        TimeoutStartSec=0
        ExecStartPre=-/usr/bin/docker rm --force nginx1
        ExecStart=/usr/bin/docker run --name nginx1 --pull always --log-driver=journald --net host docker.io/nginx:1
        ExecStop=/usr/bin/docker stop nginx1
        Restart=always
        RestartSec=5s
        [Install]
        WantedBy=multi-user.target${'     '}
`;

// What `butane` printed for it in the seed, byte for byte.
const SEED_IGNITION =
  '{"ignition":{"version":"3.3.0"},"kernelArguments":{"shouldExist":["selinux=0"]},"passwd":{"users":[{"name":"test","sshAuthorizedKeys":["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0g+ZTxC7weoIJLUafOgrm+h"]}]},"storage":{"files":[{"path":"/etc/hostname","contents":{"compression":"","source":"data:,chhanz-coreos"},"mode":420}]},"systemd":{"units":[{"contents":"[Unit]\\nDescription=NGINX example\\nAfter=docker.service\\nRequires=docker.service\\n[Service]\\nTimeoutStartSec=0\\nExecStartPre=-/usr/bin/docker rm --force nginx1\\nExecStart=/usr/bin/docker run --name nginx1 --pull always --log-driver=journald --net host docker.io/nginx:1\\nExecStop=/usr/bin/docker stop nginx1\\nRestart=always\\nRestartSec=5s\\n[Install]\\nWantedBy=multi-user.target     \\n","enabled":true,"name":"nginx.service"}]}}';

describe('translateButane: the seed example', () => {
  it('produces exactly the Ignition JSON Butane produced, which ignition-validate accepts', () => {
    const result = translateButane(SEED_BUTANE);
    expect(result.errors).toEqual([]);
    expect(JSON.stringify(result.ignition)).toBe(SEED_IGNITION);
    expectIgnitionValid(result.ignition);
  });

  it("warns about the unused filesystem key in Butane's words and place", () => {
    const { warnings } = translateButane(SEED_BUTANE);
    expect(warnings.map((w) => formatDiagnostic('warning', w))).toEqual(['warning at $.storage.files.0.filesystem, line 5 col 7: Unused key filesystem']);
  });

  it('under strict, the same warning is an error and nothing is emitted', () => {
    const result = translateButane(SEED_BUTANE, { strict: true });
    expect(result.ignition).toBeUndefined();
    expect(result.warnings).toEqual([]);
    expect(result.errors.map((e) => formatDiagnostic('error', e))).toEqual(['error at $.storage.files.0.filesystem, line 5 col 7: Unused key filesystem']);
  });
});

const FCOS_EVERYTHING = `variant: fcos
version: 1.4.0
storage:
  directories:
    - path: /opt/kiln
      mode: 0755
      user: { name: core }
      group: { id: 1000 }
  files:
    - path: /etc/motd
      overwrite: true
      contents:
        inline: "Welcome to Kiln — café\\n"
    - path: /opt/kiln/blob
      mode: 0600
      contents:
        inline: "\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08"
    - path: /opt/kiln/app.tar.gz
      contents:
        source: https://example.com/app.tar.gz
        compression: gzip
    - path: /etc/kiln/notes
      mode: 0o644
      contents:
        inline: "file contents\\n"
  links:
    - path: /etc/localtime
      target: ../usr/share/zoneinfo/UTC
      overwrite: true
    - path: /opt/kiln/hard
      target: /etc/motd
      hard: true
passwd:
  groups:
    - name: kiln
      gid: 4200
  users:
    - name: deploy
      uid: 4200
      home_dir: /home/deploy
      shell: /bin/bash
      groups: [kiln, wheel]
      password_hash: "$6$salt$hash"
      ssh_authorized_keys:
        - ssh-ed25519 AAAAC3Nza deploy@kiln
systemd:
  units:
    - name: docker.service
      mask: true
    - name: app.service
      enabled: true
      contents: |
        [Unit]
        Description=app
        [Service]
        ExecStart=/opt/kiln/app
        [Install]
        WantedBy=multi-user.target
      dropins:
        - name: 10-env.conf
          contents: |
            [Service]
            Environment=A=1
kernel_arguments:
  should_exist: [quiet]
  should_not_exist: [debug]
`;

describe('translateButane: every supported field (fcos 1.4.0)', () => {
  const result = translateButane(FCOS_EVERYTHING);

  it('translates with no findings, into a config ignition-validate accepts', () => {
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expectIgnitionValid(result.ignition);
  });

  it('chooses the data-URL encoding as Butane does', () => {
    const sources = result.ignition?.storage?.files?.map((f) => f.contents);
    expect(sources).toEqual([
      // 26 UTF-8 bytes: percent-escaped would be 47 characters, base64 44, so base64 wins.
      { compression: '', source: 'data:;base64,V2VsY29tZSB0byBLaWxuIOKAlCBjYWbDqQo=' },
      { compression: '', source: 'data:;base64,AQIDBAUGBwg=' },
      // A remote source and the user's compression (already-gzipped bytes) pass through untouched.
      { compression: 'gzip', source: 'https://example.com/app.tar.gz' },
      // The vector from Butane's own tests (base/v0_4/translate_test.go).
      { compression: '', source: 'data:,file%20contents%0A' },
    ]);
    const decoded = Buffer.from(sources?.[0]?.source?.split(',')[1] ?? '', 'base64').toString('utf8');
    expect(decoded).toBe('Welcome to Kiln — café\n');
  });

  it('emits every section in Ignition field order', () => {
    expect(result.ignition).toEqual({
      ignition: { version: '3.3.0' },
      kernelArguments: { shouldExist: ['quiet'], shouldNotExist: ['debug'] },
      passwd: {
        groups: [{ gid: 4200, name: 'kiln' }],
        users: [
          {
            groups: ['kiln', 'wheel'],
            homeDir: '/home/deploy',
            name: 'deploy',
            passwordHash: '$6$salt$hash',
            sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza deploy@kiln'],
            shell: '/bin/bash',
            uid: 4200,
          },
        ],
      },
      storage: {
        directories: [{ group: { id: 1000 }, path: '/opt/kiln', user: { name: 'core' }, mode: 0o755 }],
        files: expect.any(Array),
        links: [
          { overwrite: true, path: '/etc/localtime', target: '../usr/share/zoneinfo/UTC' },
          { path: '/opt/kiln/hard', hard: true, target: '/etc/motd' },
        ],
      },
      systemd: {
        units: [
          { mask: true, name: 'docker.service' },
          {
            contents: '[Unit]\nDescription=app\n[Service]\nExecStart=/opt/kiln/app\n[Install]\nWantedBy=multi-user.target\n',
            dropins: [{ contents: '[Service]\nEnvironment=A=1\n', name: '10-env.conf' }],
            enabled: true,
            name: 'app.service',
          },
        ],
      },
    });
    expect(Object.keys(result.ignition?.storage?.files?.[0] ?? {})).toEqual(['overwrite', 'path', 'contents']);
    expect(result.ignition?.storage?.files?.[3]?.mode).toBe(420);
  });
});

describe('translateButane: other variants and sources', () => {
  it('fcos 1.5.0 produces spec 3.4.0, as Butane does', () => {
    const result = translateButane('variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/hostname\n      contents: { inline: web-1 }\n');
    expect(result.errors).toEqual([]);
    expect(result.ignition).toEqual({
      ignition: { version: '3.4.0' },
      storage: { files: [{ path: '/etc/hostname', contents: { compression: '', source: 'data:,web-1' } }] },
    });
    expectIgnitionValid(result.ignition);
  });

  it('reads contents.local through the injected reader, below filesDir only', () => {
    const files: Record<string, string> = { '/srv/butane/motd.txt': 'hello world\n' };
    const readFile = (path: string) => files[path];
    const source = (local: string) => `variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /etc/motd\n      contents:\n        local: ${local}\n`;

    const ok = translateButane(source('motd.txt'), { filesDir: '/srv/butane', readFile });
    expect(ok.ignition?.storage?.files?.[0]?.contents).toEqual({ compression: '', source: 'data:,hello%20world%0A' });
    expectIgnitionValid(ok.ignition);

    const escape = translateButane(source('../../etc/passwd'), { filesDir: '/srv/butane', readFile });
    expect(escape.ignition).toBeUndefined();
    expect(escape.errors.map((e) => formatDiagnostic('error', e))).toEqual([
      'error at $.storage.files.0.contents.local, line 7 col 16: local file path traverses outside the files directory',
    ]);

    const noDir = translateButane(source('motd.txt'));
    expect(noDir.errors).toEqual([
      {
        path: '$.storage.files.0.contents.local',
        line: 7,
        column: 16,
        message: 'cannot read local file "motd.txt": local file paths are relative to a files directory, and none was given',
      },
    ]);
  });

  it('warns, as Ignition does, when an enabled unit has no [Install] section', () => {
    const result = translateButane(
      'variant: flatcar\nversion: 1.0.0\nsystemd:\n  units:\n    - name: a.service\n      enabled: true\n      contents: "[Service]\\nExecStart=/bin/true\\n"\n',
    );
    const message = 'unit "a.service" is enabled, but has no install section so enable does nothing';
    expect(result.warnings).toEqual([{ path: '$.systemd.units.0.contents', line: 7, column: 17, message }]);
    // The real validator finds the same thing in our output, in the same words.
    const real = ignitionValidate(result.ignition);
    expect(real.status).toBe(0);
    expect(real.output).toContain(`warning at $.systemd.units.0.contents`);
    expect(real.output).toContain(message);
  });
});

describe('ignition-validate itself', () => {
  it('is required: a missing validator fails the test instead of skipping it', () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      expect(() => ignitionValidate({ ignition: { version: '3.3.0' } })).toThrow(/ensure-provisioning-tools\.sh/);
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('rejects a broken config, so the checks above can fail', () => {
    const broken = { ignition: { version: '3.3.0' }, storage: { files: [{ path: 'etc/passwd', mode: 420 }] } };
    const run = ignitionValidate(broken);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('path not absolute');
  });
});
