import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestApp } from '../../server/test-app';
import { runKiln } from '../test-cli';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;
const home = mkdtempSync(join(tmpdir(), 'kiln-butane-files-'));
const filesDir = join(home, 'files');
const outside = join(home, 'outside');

beforeAll(async () => {
  ({ app, close, token } = await openTestApp({ seed: false }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  mkdirSync(join(filesDir, 'tree/bin'), { recursive: true });
  mkdirSync(join(filesDir, 'tree/etc'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 'TOP-SECRET\n');
  writeFileSync(join(filesDir, 'tree/bin/hello'), '#!/bin/sh\necho hi\n');
  chmodSync(join(filesDir, 'tree/bin/hello'), 0o750);
  writeFileSync(join(filesDir, 'tree/etc/motd'), 'welcome\n');
  symlinkSync('motd', join(filesDir, 'tree/etc/motd.link'));
  // A link in a tree is written as a link on the machine, never read here, wherever it points.
  symlinkSync('/etc/passwd', join(filesDir, 'tree/etc/passwd.link'));
  writeFileSync(join(filesDir, 'issue.txt'), 'Kiln\n');
  // Ways out of the files directory through links: a tree root and a local: file.
  symlinkSync(outside, join(filesDir, 'escape'));
  symlinkSync(join(outside, 'secret'), join(filesDir, 'sneaky.txt'));
}, 60_000);
afterAll(async () => {
  await close();
  rmSync(home, { recursive: true, force: true });
});

const kiln = (args: string[], stdin: string) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token }, { stdin });
const butane = (body: string) => `variant: fcos\nversion: 1.4.0\nstorage:\n${body}`;

describe('kiln butane translate --files-dir', () => {
  it('expands a tree and reads local: files from the directory, and ignition-validate accepts the result', async () => {
    const source = butane('  files:\n    - path: /etc/issue\n      contents:\n        local: issue.txt\n  trees:\n    - local: tree\n      path: /opt\n');
    const run = await kiln(['butane', 'translate', '--files-dir', filesDir], source);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const ignition = JSON.parse(run.out);
    expect(ignition.storage.files).toEqual([
      { path: '/etc/issue', contents: { compression: '', source: 'data:,Kiln%0A' } },
      { path: '/opt/bin/hello', contents: { compression: '', source: 'data:,%23!%2Fbin%2Fsh%0Aecho%20hi%0A' }, mode: 0o755 },
      { path: '/opt/etc/motd', contents: { compression: '', source: 'data:,welcome%0A' }, mode: 0o644 },
    ]);
    expect(ignition.storage.links).toEqual([
      { path: '/opt/etc/motd.link', target: 'motd' },
      { path: '/opt/etc/passwd.link', target: '/etc/passwd' },
    ]);
    writeFileSync(join(home, 'out.ign'), run.out);
    // Throws (failing the test) on a config Ignition would refuse; prints nothing on a good one.
    expect(execFileSync('ignition-validate', [join(home, 'out.ign')], { encoding: 'utf8' })).toBe('');
  });

  it('never reads outside the directory: a tree or a local: file behind a symlink that leaves it is refused', async () => {
    const tree = await kiln(['butane', 'translate', '--files-dir', filesDir], butane('  trees:\n    - local: escape\n'));
    expect(tree.code).toBe(1);
    expect(tree.err).toBe('error at $.storage.trees.0, line 5 col 7: local file path traverses outside the files directory\n');
    const file = await kiln(['butane', 'translate', '--files-dir', filesDir], butane('  files:\n    - path: /etc/x\n      contents:\n        local: sneaky.txt\n'));
    expect(file.code).toBe(1);
    expect(file.err).toContain('local file path traverses outside the files directory');
    expect(`${tree.out}${file.out}${file.err}`).not.toContain('TOP-SECRET');
    expect((await kiln(['butane', 'translate', '--files-dir', join(home, 'nope')], butane('  trees:\n    - local: tree\n'))).err).toContain('--files-dir');
  });

  it('the API takes the files directory uploaded, and refuses a name that climbs out of it (400 naming the field)', async () => {
    const post = (files: object[]) => app.inject({ method: 'POST', url: '/api/provisioning/butane:translate', payload: { butane: butane('  trees:\n    - local: t\n'), files } });
    const ok = await post([{ path: 't/a.sh', type: 'file', mode: 0o755, contents: 'ZWNobwo=' }]);
    expect(ok.json().ignition.storage.files).toEqual([{ path: '/a.sh', contents: { compression: '', source: 'data:,echo%0A' }, mode: 0o755 }]);
    const bad = await post([{ path: 't/../../etc/shadow', type: 'file', contents: '' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', field: 'files.0.path' });
  });
});
