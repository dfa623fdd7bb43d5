import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from './io';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

const StoredConfig = z.object({ url: z.string().optional(), token: z.string().optional() });
export type StoredConfig = z.infer<typeof StoredConfig>;

/** `$XDG_CONFIG_HOME/kiln/config.json` (else `~/.config/kiln/config.json`), written by `kiln login`. */
export function configPath(env: Record<string, string | undefined>): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'kiln', 'config.json');
}

export async function loadConfig(env: Record<string, string | undefined>): Promise<StoredConfig> {
  const path = configPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  try {
    return StoredConfig.parse(JSON.parse(text));
  } catch {
    throw new CliError(`${path} is not a Kiln config file; fix it or run 'kiln login' again`, EXIT.usage);
  }
}

export async function saveConfig(env: Record<string, string | undefined>, config: StoredConfig): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true });
  // The token is a secret: readable by this user only.
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** Flag, then environment, then the saved config, then the local default. */
export function resolveTarget(flagUrl: string | undefined, env: Record<string, string | undefined>, saved: StoredConfig) {
  const url = (flagUrl ?? env.KILN_URL ?? saved.url ?? DEFAULT_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(url)) throw new CliError(`--url must be an http(s) URL such as ${DEFAULT_URL}, not '${url}'`, EXIT.usage);
  const token = env.KILN_TOKEN ?? saved.token;
  return { url, ...(token ? { token } : {}) };
}
