import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Puts this machine's node binary (as /usr/bin/node), the shared libraries `ldd` names for it and
 * for `extra` programs (`from=to` pairs), and /tmp into `root`: the runtime the local cloud lends a
 * bundle, so the same bundle runs as a container. Only for an engine on this machine's architecture.
 */
export function putNodeRuntime(root: string, extra: readonly string[] = []): void {
  const put = (from: string, to = from) => {
    mkdirSync(join(root, dirname(to)), { recursive: true });
    copyFileSync(from, join(root, to));
  };
  const node = process.execPath;
  put(node, '/usr/bin/node');
  const pairs = extra.map((t) => t.split('=') as [string, string]);
  for (const [from, to] of pairs) put(from, to);
  const libs = [node, ...pairs.map(([from]) => from)].flatMap((bin) => execFileSync('ldd', [bin], { encoding: 'utf8' }).match(/\/[^\s]+\.so[^\s]*/g) ?? []);
  for (const lib of new Set(libs)) put(lib);
  mkdirSync(join(root, 'tmp'), { recursive: true });
}
