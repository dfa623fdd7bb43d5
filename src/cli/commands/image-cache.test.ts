import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bakeryPaths } from '../../engine/index';
import { openTestApp } from '../../server/test-app';
import { runKiln } from '../test-cli';

describe('kiln image cache', () => {
  it('lists the cached build stages with their sizes and clears them with --clear', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-cache-cli-'));
    const home = mkdtempSync(join(tmpdir(), 'kiln-cache-cli-home-'));
    const { app, close, token } = await openTestApp({ seed: false, dataDir, signedIn: false });
    try {
      const file = join(bakeryPaths(dataDir).stages!, `${'f'.repeat(64)}.tar`);
      writeFileSync(file, Buffer.alloc(3 * 1024 * 1024));
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const kiln = (args: string[]) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token });
      const shown = await kiln(['image', 'cache']);
      expect(shown.code).toBe(0);
      expect(shown.out).toMatch(
        /^1 cached stage, 3\.0 MiB \(limit 10\.0 GiB; unused 30 days go\)\nKEY +SIZE +LAST USED +KEPT FOR\nffffffffffff +3\.0 MiB +\d{4}-\d\d-\d\d \d\d:\d\d +-\n$/,
      );
      expect(await kiln(['image', 'cache', '--clear'])).toMatchObject({ code: 0, out: 'Removed 1 cached stage (3.0 MiB)\n' });
      expect(existsSync(file)).toBe(false);
      expect((await kiln(['image', 'cache'])).out).toBe('0 cached stages, 0 B (limit 10.0 GiB; unused 30 days go)\n');
    } finally {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
