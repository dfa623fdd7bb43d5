import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestApp } from '../../server/test-app';
import { runKiln } from '../test-cli';
import { EXIT } from '../io';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;
const home = mkdtempSync(join(tmpdir(), 'kiln-cli-provisioning-'));
const intentFile = join(home, 'intent.yaml');
writeFileSync(
  intentFile,
  `hostname: web-1
users:
  - name: deploy
    sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKiln deploy@kiln"]
files:
  - path: /etc/motd
    content: "Welcome\\n"
units:
  - name: app.service
    contents: "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n"
runcmd: ["echo hello > /tmp/hello"]
`,
);

beforeAll(async () => {
  ({ app, close, token } = await openTestApp({ seed: false }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(() => close());

const kiln = (args: string[]) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token });

describe('kiln provisioning render', () => {
  it('renders one intent as cloud-init, Butane and Ignition', async () => {
    const cloud = await kiln(['provisioning', 'render', intentFile]);
    expect(cloud.code).toBe(EXIT.ok);
    expect(cloud.out).toMatch(/^#cloud-config\nhostname: web-1\n/);
    expect(cloud.out).toContain('echo hello > /tmp/hello');
    const butane = await kiln(['provisioning', 'render', '--format', 'butane', intentFile]);
    expect(butane.out).toMatch(/^variant: (flatcar|fcos)\nversion: /);
    const ignition = JSON.parse((await kiln(['provisioning', 'render', '--format', 'ignition', intentFile])).out);
    expect(ignition.ignition.version).toMatch(/^3\./);
    expect(ignition.storage.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['/etc/hostname', '/etc/motd']));
    expect(ignition.systemd.units.map((u: { name: string }) => u.name)).toContain('app.service');
  });

  it('names what is wrong: the format, unreadable YAML, or the intent field the server refuses', async () => {
    expect(await kiln(['provisioning', 'render', '--format', 'kickstart', intentFile])).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining('--format must be one of cloud-init, ignition, butane'),
    });
    const bad = join(home, 'bad.yaml');
    writeFileSync(bad, 'hostname: [unclosed\n');
    expect((await kiln(['provisioning', 'render', bad])).err).toContain('the intent is not YAML or JSON');
    writeFileSync(bad, 'hostname: web-1\nfiles:\n  - path: relative/motd\n    content: x\n');
    const refused = await kiln(['provisioning', 'render', bad]);
    expect(refused.code).not.toBe(EXIT.ok);
    expect(refused.err).toMatch(/intent\.files\.0\.path/);
  });
});
