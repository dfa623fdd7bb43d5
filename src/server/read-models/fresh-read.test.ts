import { describe, expect, it } from 'vitest';
import { freshRead } from './fresh-read';

describe('freshRead', () => {
  it('answers callers who arrive while a read is under way with the next read, shared among them', async () => {
    let value = 0;
    let reads = 0;
    const pending: Array<() => void> = [];
    const read = freshRead(() => {
      reads += 1;
      const seen = value;
      return new Promise<number>((resolve) => pending.push(() => resolve(seen)));
    });
    const first = read();
    value = 1; // committed after the first read started: the callers below must see it
    const later = [read(), read(), read()];
    pending.shift()!();
    expect(await first).toBe(0);
    await Promise.resolve();
    pending.shift()!();
    expect(await Promise.all(later)).toEqual([1, 1, 1]);
    expect(reads).toBe(2);
  });

  it('rejects the callers of a failed read and reads again for the next caller', async () => {
    let fail = true;
    const read = freshRead(async () => {
      if (fail) throw new Error('database down');
      return 7;
    });
    await expect(read()).rejects.toThrow('database down');
    fail = false;
    expect(await read()).toBe(7);
  });
});
