import { describe, expect, it } from 'vitest';
import { createRepositories } from '../repositories';
import { useTestDatabase } from '../test-builders';

describe('events (postgres): appends become visible in id order', () => {
  const current = useTestDatabase();

  it('makes a second append wait until an open transaction holding an append commits', async () => {
    const { db, repos } = current();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstId = 0;
    const first = db.transaction(async (tx) => {
      firstId = (await createRepositories(tx).events.append({ type: 'execution.created', data: {} })).id;
      await held;
    });
    while (firstId === 0) await new Promise((r) => setTimeout(r, 5));

    let secondDone = false;
    const second = repos.events.append({ type: 'execution.created', data: {} }).then((e) => ((secondDone = true), e));
    await new Promise((r) => setTimeout(r, 200));
    // Without the lock the second would already hold id firstId+1, visible while firstId is not.
    expect(secondDone).toBe(false);
    expect(await repos.events.after(0, {}, 10)).toEqual([]);

    release();
    await first;
    const later = await second;
    expect(later.id).toBeGreaterThan(firstId);
    expect((await repos.events.after(0, {}, 10)).map((e) => e.id)).toEqual([firstId, later.id]);
  });
});
