import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { bake } from './bake';
import { saveRecipe, useBakery } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });

// The real bootstrap is debian-bootstrap.test.ts; this is the cheap failure path.
describe('debian base', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('says the mirror cannot be reached (field base.mirror) instead of a wall of apt output', async () => {
    const { repos } = db();
    const { paths, log, lines } = bakery();
    // Port 9 (discard) on loopback: nothing listens, so apt's connection is refused at once.
    const recipe = await saveRecipe(repos, { name: 'offline', base: { type: 'debian', suite: 'bookworm', mirror: 'http://127.0.0.1:9/debian' } });
    const err = await bake({ repos, paths, log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ step: 'base', field: 'base.mirror' });
    expect((err as Error).message).toMatch(
      /^mmdebstrap could not download Debian bookworm from http:\/\/127\.0\.0\.1:9\/debian: .*(Could not connect|Connection refused|Failed to fetch|Unable to connect)/,
    );
    expect(lines.some((l) => l.includes('base,ui,say,bootstrapping Debian bookworm (minbase) from http://127.0.0.1:9/debian with mmdebstrap'))).toBe(true);
    expect(await repos.images.all()).toEqual([]);
  });
});
