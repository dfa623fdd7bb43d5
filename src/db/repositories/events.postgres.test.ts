import { describe, expect, it } from 'vitest';
import { createDatabase } from '../client';
import { createRepositories } from '../repositories';
import { useTestDatabase } from '../test-builders';

const event = { type: 'execution.created' as const, data: {} };

describe('events (postgres): no lock between appenders, readers never skip a late commit', () => {
  const current = useTestDatabase();

  it('lets a second append finish while an earlier one is uncommitted, and shows it only after the earlier commits', async () => {
    const { db, repos } = current();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstId = 0;
    const first = db.transaction(async (tx) => {
      firstId = (await createRepositories(tx).events.append(event)).id;
      await held;
    });
    while (firstId === 0) await new Promise((r) => setTimeout(r, 5));

    // Would wait for the open transaction under the old global lock (the test would time out here).
    const second = await repos.events.append(event);
    // Visible in the table, but below it an earlier transaction is still open: a reader that sent
    // `second` now would resume after it and never see the first.
    expect(await repos.events.after(0, {}, 10)).toEqual([]);
    expect(await repos.events.latestId()).toBe(0);

    release();
    await first;
    expect(firstId).toBeLessThan(second.id);
    expect((await repos.events.after(0, {}, 10)).map((e) => e.id)).toEqual([firstId, second.id]);
  });

  it('gives a reader following two pools of concurrent appenders every event once, in order, even those that commit late', async () => {
    const { repos, url } = current();
    const other = await createDatabase({ databaseUrl: url! });
    try {
      const pools = [current().db, other];
      const appended: number[] = [];
      const writers = pools.flatMap((pool, p) =>
        Array.from({ length: 4 }, (_, w) =>
          (async () => {
            for (let i = 0; i < 40; i += 1) {
              // Some appends sit in a transaction for a while after drawing their id: they commit late.
              const id = await pool.transaction(async (tx) => {
                const e = await createRepositories(tx).events.append(event);
                if ((i + w + p) % 5 === 0) await new Promise((r) => setTimeout(r, 15));
                return e.id;
              });
              appended.push(id);
            }
          })(),
        ),
      );
      let done = false;
      const all = Promise.all(writers).then(() => (done = true));
      const seen: number[] = [];
      let after = 0;
      // A follower like the SSE hub: resumes after the last id it was given, over and over.
      while (!done || seen.length < appended.length) {
        const page = await repos.events.after(after, {}, 25);
        for (const e of page) seen.push(e.id);
        if (page.length > 0) after = page.at(-1)!.id;
        else await new Promise((r) => setTimeout(r, 2));
      }
      await all;
      expect(seen.length).toBe(8 * 40);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...appended].sort((a, b) => a - b));
    } finally {
      await other.close();
    }
  });

  it('numbers several events of one transaction in order, after every id stored before', async () => {
    const { db, repos } = current();
    const before = await repos.events.append(event);
    const ids = await db.transaction(async (tx) => {
      const r = createRepositories(tx);
      return [(await r.events.append(event)).id, (await r.events.append(event)).id, (await r.events.append(event)).id];
    });
    expect(ids[0]).toBeGreaterThan(before.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect((await repos.events.after(before.id, {}, 10)).map((e) => e.id)).toEqual(ids);
  });
});
