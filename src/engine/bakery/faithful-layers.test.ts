import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import type { ImageVersion } from '../../shared/domain/image';
import { bake } from './bake';
import { decompress } from './compress';
import { artifactPath } from './store';
import { saveRecipe, useBakery, type BakeryFixture } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 90_000 });
afterEach(() => vi.unstubAllEnvs());
const asRoot = process.getuid?.() === 0;
const PAST = new Date('2024-03-01T12:00:00Z');

/** The files whose metadata a careless copy loses, as a Debian root has them. */
function specialRoot(rootDir: string): void {
  mkdirSync(join(rootDir, 'usr/bin'), { recursive: true });
  mkdirSync(join(rootDir, 'tmp'), { recursive: true });
  mkdirSync(join(rootDir, 'dev'), { recursive: true });
  writeFileSync(join(rootDir, 'usr/bin/passwd'), '#!/bin/sh\n');
  chmodSync(join(rootDir, 'usr/bin/passwd'), 0o4755);
  writeFileSync(join(rootDir, 'usr/bin/chage'), '#!/bin/sh\n');
  chownSync(join(rootDir, 'usr/bin/chage'), 0, 42);
  chmodSync(join(rootDir, 'usr/bin/chage'), 0o2755);
  chmodSync(join(rootDir, 'tmp'), 0o1777);
  writeFileSync(join(rootDir, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
  chownSync(join(rootDir, 'etc/shadow'), 0, 42);
  chmodSync(join(rootDir, 'etc/shadow'), 0o640);
  writeFileSync(join(rootDir, 'usr/bin/ping'), '#!/bin/sh\n');
  chmodSync(join(rootDir, 'usr/bin/ping'), 0o755);
  execFileSync('setcap', ['cap_net_raw+ep', join(rootDir, 'usr/bin/ping')]);
  linkSync(join(rootDir, 'usr/bin/passwd'), join(rootDir, 'usr/bin/passwd-link'));
  execFileSync('mknod', [join(rootDir, 'dev/null'), 'c', '1', '3']);
  execFileSync('mkfifo', [join(rootDir, 'dev/initctl')]);
  utimesSync(join(rootDir, 'etc/motd'), PAST, PAST);
}

const PATHS = ['/usr/bin/passwd', '/usr/bin/chage', '/tmp', '/etc/shadow', '/usr/bin/ping', '/usr/bin/passwd-link', '/dev/null', '/dev/initctl', '/etc/motd'];

/** What `debugfs stat` says of a path in a disk image: type, mode, owner, links, times, device, xattrs. */
async function metadata(f: BakeryFixture, image: ImageVersion): Promise<Record<string, string>> {
  const part = join(f.dir, `${image.name}-${image.version}.img`);
  await decompress(f.log, 'check', artifactPath(f.paths, image.artifact), part);
  const out: Record<string, string> = {};
  for (const p of PATHS) {
    const text = execFileSync('debugfs', ['-R', `stat ${p}`, part], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const pick = (re: RegExp) => re.exec(text)?.slice(1).join(' ') ?? '-';
    out[p] = [
      pick(/Type: (.+?)\s+Mode:\s+(\d+)/),
      pick(/User:\s+(\d+)\s+Group:\s+(\d+)/),
      `links ${pick(/Links: (\d+)/)}`,
      p === '/etc/motd' ? `mtime ${pick(/ mtime: 0x([0-9a-f]+)/)}` : '',
      pick(/Device major\/minor number: (\S+)/),
      pick(/^ {2}(security\.capability \(\d+\) = .*)$/m).trim(),
    ].join(' | ');
  }
  return out;
}

describe.runIf(asRoot)('faithful layers: a child image keeps what its parent had', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('keeps setuid, setgid and sticky bits, owners, hard links, capabilities, device nodes, fifos and times from a disk parent', async () => {
    // Times before SOURCE_DATE_EPOCH are kept as they are; later ones are clamped (reproducible.ts).
    vi.stubEnv('SOURCE_DATE_EPOCH', String(Date.parse('2025-01-01T00:00:00Z') / 1000));
    const { repos } = db();
    const f = bakery();
    specialRoot(f.rootDir);
    const os = await saveRecipe(repos, { name: 'os', builder: 'disk', base: { type: 'directory', path: f.rootDir }, output: { compression: 'zstd', diskSizeMiB: 16 } });
    const { image: parent } = await bake({ repos, paths: f.paths, log: f.log }, { recipe: os, by: 'tester' });
    const app = await saveRecipe(repos, {
      name: 'os-app',
      builder: 'disk',
      base: { type: 'image', image: 'os:v1' },
      output: { compression: 'zstd', diskSizeMiB: 16 },
      tests: { files: ['/etc/motd'] },
    });
    const { image: child } = await bake({ repos, paths: f.paths, log: f.log }, { recipe: app, by: 'tester' });

    const before = await metadata(f, parent);
    // The parent itself is faithful to the directory it was built from.
    expect(before['/usr/bin/passwd']).toMatch(/^regular 04755 \| 0 0 \| links 2/);
    expect(before['/usr/bin/chage']).toMatch(/^regular 02755 \| 0 42 /);
    expect(before['/tmp']).toMatch(/^directory 01777 /);
    expect(before['/etc/shadow']).toMatch(/^regular 0640 \| 0 42 /);
    expect(before['/usr/bin/ping']).toContain('security.capability (20)');
    expect(before['/dev/null']).toMatch(/^character special 0644 .*01:03/);
    expect(before['/dev/initctl']).toMatch(/^FIFO /);
    expect(before['/etc/motd']).toContain(`mtime ${(PAST.getTime() / 1000).toString(16)}`);
    // And the child has every bit of it.
    expect(await metadata(f, child)).toEqual(before);
    expect(f.lines.join('\n')).toContain('1 hard links; 2 special files; 1 extended attributes');
  });
});
