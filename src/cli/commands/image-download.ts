import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { imageDownloadUrl } from '../../shared/api/images';
import { defineCommand } from '../command';
import { CliError, EXIT, usageError } from '../io';

/** The server's own message for a refused download, as the JSON commands print it. */
async function refusal(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: string; field?: string };
    return `${body.message ?? res.statusText}${body.field ? ` (${body.field})` : ''}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

export const imageDownloadCommands = [
  defineCommand({
    words: ['image', 'download'],
    args: ['NAME', 'VERSION'],
    summary: "Download an image version's artifact (bundle, disk image or OCI archive), checking its sha256 against the registry",
    options: { output: { type: 'string', short: 'o' } },
    optionHelp: ['-o, --output FILE  where to write it (default: the name the server gives, in this directory)'],
    async run({ io, target, values, positionals, json }) {
      const [name, version] = positionals;
      if (!name || !version) throw usageError('give the image NAME and VERSION, e.g. kiln image download shop-web v3');
      const res = await fetch(new URL(imageDownloadUrl(name, version), target.url), { headers: target.token ? { authorization: `Bearer ${target.token}` } : {} });
      if (!res.ok || !res.body) throw new CliError(`cannot download ${name}:${version}: ${await refusal(res)}`, EXIT.failed);
      const expected = /^sha-256=:([^:]+):$/.exec(res.headers.get('repr-digest') ?? '')?.[1];
      const file = (values.output as string | undefined) ?? /filename="([^"/]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${name}-${version}`;
      const partial = `${file}.partial`;
      const hash = createHash('sha256');
      const out = createWriteStream(partial);
      let bytes = 0;
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          hash.update(chunk);
          bytes += chunk.length;
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      } catch (err) {
        out.destroy();
        await rm(partial, { force: true });
        throw new CliError(`download of ${name}:${version} broke off after ${bytes} bytes: ${(err as Error).message}`, EXIT.failed);
      }
      const actual = hash.digest('base64');
      if (expected && actual !== expected) {
        await rm(partial, { force: true });
        throw new CliError(`${name}:${version} arrived corrupted: its sha256 does not match the registry's`, EXIT.failed);
      }
      await rename(partial, file);
      const sha256 = Buffer.from(actual, 'base64').toString('hex');
      io.stdout.write(json ? `${JSON.stringify({ file, bytes, sha256 }, null, 2)}\n` : `Saved ${name}:${version} to ${file} (${bytes} bytes, sha256 ${sha256})\n`);
      return EXIT.ok;
    },
  }),
];
