import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBakeLog } from '../../bakery/bake-log';
import { buildOci } from '../../bakery/builders/oci';
import { putNodeRuntime } from './node-runtime';

const SAMPLE_APP = join(import.meta.dirname, '..', 'images', 'sample-app.mjs');
const JOB_TOOLS = ['/bin/dash=/bin/sh', '/bin/sleep=/bin/sleep'];

/**
 * An OCI archive of the sample app for tests and benchmarks, made without debootstrap: a root
 * holding only this machine's node binary, the shared libraries `ldd` names, and the app — written
 * by the bakery's own oci builder. Cached in the temp dir by content, so a run builds it once.
 * `user` is a recipe's `run.user` (the config's User); `app` another script in place of the sample app.
 */
export async function sampleAppArchive(options: { user?: string; app?: string } = {}): Promise<string> {
  const node = process.execPath;
  const app = options.app ?? SAMPLE_APP;
  const key = createHash('sha256')
    .update(readFileSync(app))
    .update(`${node}:${process.version}:${JOB_TOOLS.join(',')}${options.user ? `:${options.user}` : ''}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), `kiln-sample-app-oci-${key}`);
  const archive = join(dir, 'image.oci.tar');
  if (existsSync(archive)) return archive;
  const work = `${dir}.${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  const root = join(work, 'root');
  putNodeRuntime(root, JOB_TOOLS);
  mkdirSync(join(root, 'app'), { recursive: true });
  copyFileSync(app, join(root, 'app', 'server.mjs'));
  const out = await buildOci(
    createBakeLog(() => {}),
    root,
    work,
    { tag: 'kiln-sample-app', entrypoint: 'app/server.mjs', user: options.user },
  );
  mkdirSync(dir, { recursive: true });
  renameSync(out.packed, archive);
  rmSync(work, { recursive: true, force: true });
  return archive;
}
