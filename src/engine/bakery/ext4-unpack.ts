import { execFile } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lchownSync, lutimesSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { runCommand } from './run-command';
import { requireTool } from './tools';

const run = promisify(execFile);
const STEP = 'base: unpack parent';
const ROOT_INODE = 2;

/** One directory entry as `debugfs ls -p` prints it: `/inode/mode/uid/gid/name/size/`. */
export interface Entry {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  path: string;
}

/** What `debugfs stat` adds: times, device numbers, extended attribute names. */
interface InodeFacts {
  atime: number;
  mtime: number;
  device?: { major: number; minor: number };
  xattrs: string[];
}

const TYPE = { dir: 0o040000, file: 0o100000, link: 0o120000, fifo: 0o010000, chr: 0o020000, blk: 0o060000, sock: 0o140000 } as const;
const typeOf = (mode: number) => mode & 0o170000;

/**
 * Copies an ext filesystem image into `root` faithfully, without mounting it: `debugfs rdump`
 * writes the contents, but it drops setuid/setgid/sticky bits (its chown comes after its chmod),
 * capabilities and other xattrs, hard links and special files. So the tree is then walked with
 * `debugfs ls -p` and `stat`, and every entry's owner, mode, times, links, device node and xattrs
 * are set from the image — a child baked on a disk parent has the parent's `/usr/bin/passwd` 04755,
 * `/tmp` 01777 and `/etc/shadow` root:shadow.
 */
export async function unpackExt4(log: BakeLog, image: string, root: string, work: string): Promise<{ entries: number; hardLinks: number; specials: number; xattrs: number }> {
  const debugfs = requireTool('debugfs');
  await runCommand(log, STEP, debugfs, ['-R', `rdump / ${root}`, image]);
  const entries = await listExt4(debugfs, image, work);
  const facts = await statAll(debugfs, image, work, [ROOT_INODE, ...new Set(entries.map((e) => e.ino))]);
  const asRoot = process.getuid?.() === 0;
  const firstPath = new Map<number, string>();
  let hardLinks = 0;
  let specials = 0;
  for (const e of entries) {
    const path = join(root, e.path);
    const type = typeOf(e.mode);
    if (type === TYPE.file) {
      const first = firstPath.get(e.ino);
      if (first) {
        rmSync(path, { force: true });
        linkSync(first, path);
        hardLinks += 1;
        continue;
      }
      firstPath.set(e.ino, path);
    } else if (type === TYPE.fifo || type === TYPE.chr || type === TYPE.blk) {
      if (!existsSync(path)) {
        const dev = facts.get(e.ino)?.device;
        const args = type === TYPE.fifo ? [path, 'p'] : [path, type === TYPE.chr ? 'c' : 'b', String(dev?.major ?? 0), String(dev?.minor ?? 0)];
        await runCommand(log, STEP, '/usr/bin/env', ['mknod', ...args]);
      }
      specials += 1;
    } else if (type === TYPE.sock) {
      continue; // A socket in an image is a leftover of a running program; nothing can use it.
    }
    if (asRoot) lchownSync(path, e.uid, e.gid);
    // After the chown, which clears setuid and setgid.
    if (type !== TYPE.link) chmodSync(path, e.mode & 0o7777);
  }
  const xattrs = await copyXattrs(log, debugfs, image, root, work, entries, facts);
  // Times last, children before their directories (creating a link touches its directory).
  for (const e of [...entries].reverse()) {
    const f = facts.get(e.ino);
    if (f && typeOf(e.mode) !== TYPE.sock) lutimesSync(join(root, e.path), f.atime, f.mtime);
  }
  const top = facts.get(ROOT_INODE);
  if (top) lutimesSync(root, top.atime, top.mtime);
  log.say(STEP, `${entries.length} entries with their owners/modes/times; ${hardLinks} hard links; ${specials} special files; ${xattrs} extended attributes`);
  return { entries: entries.length, hardLinks, specials, xattrs };
}

/** Runs debugfs on a file of commands (`-w` to write); its output repeats each command after `debugfs: `. */
export async function debugfsBatch(
  debugfs: string,
  image: string,
  work: string,
  commands: string[],
  options: { write?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<Map<string, string>> {
  const file = join(work, 'debugfs-commands');
  writeFileSync(file, `${commands.join('\n')}\n`);
  const { stdout } = await run(debugfs, [...(options.write ? ['-w'] : []), '-f', file, image], {
    maxBuffer: 1024 * 1024 * 1024,
    encoding: 'utf8',
    ...(options.env ? { env: options.env } : {}),
  });
  const answers = new Map<string, string>();
  for (const block of stdout.split(/^debugfs: /m).slice(1)) {
    const nl = block.indexOf('\n');
    answers.set(block.slice(0, nl), block.slice(nl + 1));
  }
  return answers;
}

/** Every entry under the root, parents before children, one debugfs run per directory level. */
export async function listExt4(debugfs: string, image: string, work: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  let level = [{ ino: ROOT_INODE, path: '' }];
  while (level.length > 0) {
    const answers = await debugfsBatch(
      debugfs,
      image,
      work,
      level.map((d) => `ls -p <${d.ino}>`),
    );
    const next: typeof level = [];
    for (const dir of level) {
      const listing = answers.get(`ls -p <${dir.ino}>`);
      if (listing === undefined) throw new BakeError(STEP, `debugfs did not list directory ${dir.path || '/'} of the parent image`);
      for (const line of listing.split('\n')) {
        const m = /^\/(\d+)\/([0-7]+)\/(\d+)\/(\d+)\/(.*)\/(\d*)\/$/.exec(line);
        if (!m || m[5] === '.' || m[5] === '..') continue;
        const e: Entry = { ino: Number(m[1]), mode: parseInt(m[2]!, 8), uid: Number(m[3]), gid: Number(m[4]), path: join(dir.path, m[5]!) };
        entries.push(e);
        if (typeOf(e.mode) === TYPE.dir) next.push({ ino: e.ino, path: e.path });
      }
    }
    level = next;
  }
  return entries;
}

async function statAll(debugfs: string, image: string, work: string, inodes: number[]): Promise<Map<number, InodeFacts>> {
  const facts = new Map<number, InodeFacts>();
  const answers = await debugfsBatch(
    debugfs,
    image,
    work,
    inodes.map((i) => `stat <${i}>`),
  );
  for (const ino of inodes) {
    const text = answers.get(`stat <${ino}>`) ?? '';
    const time = (name: string) => {
      const m = new RegExp(`^\\s*${name}: 0x([0-9a-f]+):([0-9a-f]+)`, 'm').exec(text);
      // The extra word holds nanoseconds above its two epoch bits.
      return m ? parseInt(m[1]!, 16) + (parseInt(m[2]!, 16) >>> 2) / 1e9 : 0;
    };
    const dev = /Device major\/minor number: [0-9]+:[0-9]+ \(hex ([0-9a-f]+):([0-9a-f]+)\)/.exec(text);
    const xattrBlock = /^Extended attributes:\n((?: {2}.*\n?)*)/m.exec(text)?.[1] ?? '';
    const xattrs = [...xattrBlock.matchAll(/^ {2}(\S+) \(\d+\)/gm)].map((m) => m[1]!);
    facts.set(ino, { atime: time('atime'), mtime: time('mtime'), ...(dev ? { device: { major: parseInt(dev[1]!, 16), minor: parseInt(dev[2]!, 16) } } : {}), xattrs });
  }
  return facts;
}

/** Reads each xattr's raw value with `ea_get -f` and restores them all with one `setfattr --restore`. */
async function copyXattrs(log: BakeLog, debugfs: string, image: string, root: string, work: string, entries: Entry[], facts: Map<number, InodeFacts>): Promise<number> {
  const wanted = entries.flatMap((e) =>
    typeOf(e.mode) === TYPE.sock ? [] : (facts.get(e.ino)?.xattrs ?? []).map((name, n) => ({ e, name, file: join(work, `xattr-${e.ino}-${n}`) })),
  );
  if (wanted.length === 0) return 0;
  const unique = [...new Map(wanted.map((w) => [w.file, w])).values()];
  await debugfsBatch(
    debugfs,
    image,
    work,
    unique.map((w) => `ea_get -f ${w.file} <${w.e.ino}> ${w.name}`),
  );
  const dump = wanted.map((w) => {
    const value = existsSync(w.file) ? readHex(w.file) : '';
    return `# file: ${escapePath(join(root, w.e.path))}\n${w.name}=0x${value}\n`;
  });
  const restore = join(work, 'xattrs.dump');
  writeFileSync(restore, dump.join('\n'));
  await runCommand(log, STEP, requireTool('setfattr'), ['-h', `--restore=${restore}`]);
  return wanted.length;
}

const readHex = (file: string) => readFileSync(file).toString('hex');

/** getfattr's dump format escapes unusual bytes in a path as octal. */
const escapePath = (p: string) => Buffer.from(p).reduce((s, b) => s + (b < 0x21 || b > 0x7e || b === 0x5c ? `\\${b.toString(8).padStart(3, '0')}` : String.fromCharCode(b)), '');
