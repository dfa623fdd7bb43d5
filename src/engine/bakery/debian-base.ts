import { mkdirSync } from 'node:fs';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { runCommand } from './run-command';
import { requireTool } from './tools';

export interface DebianBase {
  suite: string;
  mirror?: string | undefined;
  variant?: 'minbase' | 'apt' | 'essential' | undefined;
}

/** What apt and mmdebstrap print when the mirror cannot be reached (DNS, refused, timeouts, HTTP errors). */
const NETWORK_FAILURE =
  /Could not resolve|Temporary failure resolving|Failed to fetch|Unable to connect|Connection refused|Connection failed|Could not connect|timed out|404\s+Not Found|does not have a Release file|Release file .* is not valid/i;

/** The mirror mmdebstrap uses when the recipe names none (the same one Debian's apt defaults to). */
export const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/**
 * Bootstraps a Debian suite into `root` with mmdebstrap. `--mode=unshare` needs no root, only user
 * namespaces (it works as root too). Downloaded .debs are kept in `debCache` between bakes (mmdebstrap's
 * sync-in/sync-out hooks), so a second bake of the same suite downloads nothing new. A mirror that
 * cannot be reached is a BakeError naming `base.mirror`, not a wall of apt output.
 */
export async function bootstrapDebian(
  log: BakeLog,
  base: DebianBase,
  root: string,
  options: { debCache?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<void> {
  const mmdebstrap = requireTool('mmdebstrap');
  const mirror = base.mirror ?? DEFAULT_MIRROR;
  const variant = base.variant ?? 'minbase';
  const args = [`--variant=${variant}`, '--mode=unshare', '--dpkgopt=force-unsafe-io', '--aptopt=Acquire::Languages "none"', '--aptopt=Acquire::Retries "1"'];
  if (options.debCache) {
    mkdirSync(options.debCache, { recursive: true });
    args.push(
      '--skip=download/empty',
      '--skip=essential/unlink',
      '--setup-hook=mkdir -p "$1"/var/cache/apt/archives/',
      `--setup-hook=sync-in ${options.debCache} /var/cache/apt/archives/`,
      `--customize-hook=sync-out /var/cache/apt/archives ${options.debCache}`,
    );
  }
  args.push(base.suite, root, mirror);
  const seen: string[] = [];
  const watching: BakeLog = {
    ...log,
    event(step, type, ...data) {
      if (type === 'output') seen.push(data.join(','));
      log.event(step, type, ...data);
    },
    step: (name, fn) => log.step(name, fn),
    get errors() {
      return log.errors;
    },
  };
  log.say('base', `bootstrapping Debian ${base.suite} (${variant}) from ${mirror} with mmdebstrap`);
  try {
    await runCommand(watching, 'base', mmdebstrap, args, { signal: options.signal, timeoutMs: 20 * 60_000 });
  } catch (err) {
    const network = seen.find((line) => NETWORK_FAILURE.test(line));
    if (network) throw new BakeError('base', `mmdebstrap could not download Debian ${base.suite} from ${mirror}: ${network.trim()}`, 'base.mirror');
    throw err;
  }
}
