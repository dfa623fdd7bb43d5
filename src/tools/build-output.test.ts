import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

interface TsConfig {
  extends?: string;
  references?: { path: string }[];
  compilerOptions?: { outDir?: string; tsBuildInfoFile?: string; noEmitOnError?: boolean; noEmit?: boolean };
}

// The tsconfigs carry whole-line // comments, and globs such as "**/*.ts" that a naive /* stripper would eat.
const read = (file: string): TsConfig => JSON.parse(readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '')) as TsConfig;
const fileOf = (path: string) => (path.endsWith('.json') ? path : join(path, 'tsconfig.json'));

/** compilerOptions along the extends chain, paths resolved against the file that set them. */
function optionsOf(file: string): Required<TsConfig>['compilerOptions'] {
  const config = read(file);
  const base = config.extends ? optionsOf(resolve(dirname(file), config.extends)) : {};
  const own = { ...config.compilerOptions };
  for (const key of ['outDir', 'tsBuildInfoFile'] as const) if (own[key]) own[key] = resolve(dirname(file), own[key]);
  return { ...base, ...own };
}

describe('tsc -b output', () => {
  const projects = (read(join(root, 'tsconfig.json')).references ?? []).map((r) => fileOf(resolve(root, r.path)));

  it.each(projects.map((p) => [relative(root, p), p]))('%s writes nothing into the source tree, and nothing at all when the check fails', (_name, project) => {
    const options = optionsOf(project);
    const outside = (path: string | undefined) => path !== undefined && relative(root, path).startsWith(join('node_modules', '.cache'));
    expect({ noEmitOnError: options.noEmitOnError === true || options.noEmit === true, outDir: outside(options.outDir), buildInfo: outside(options.tsBuildInfoFile) }).toEqual({
      noEmitOnError: true,
      outDir: true,
      buildInfo: true,
    });
  });
});
