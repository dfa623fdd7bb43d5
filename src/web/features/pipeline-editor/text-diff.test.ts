import { describe, expect, it } from 'vitest';
import { diffLines } from './text-diff';

describe('diffLines', () => {
  it('pairs a changed line and keeps the unchanged ones on both sides', () => {
    const rows = diffLines('a\nb\nc', 'a\nB\nc');
    expect(rows.map((r) => r.kind)).toEqual(['same', 'changed', 'same']);
    expect(rows[1]).toMatchObject({ left: { n: 2, text: 'b' }, right: { n: 2, text: 'B' } });
  });

  it('shows additions and removals with their own line numbers', () => {
    const rows = diffLines('a\nx\nb', 'a\nb\ny\nz');
    expect(rows.filter((r) => r.kind === 'removed').map((r) => r.left?.text)).toEqual(['x']);
    expect(rows.filter((r) => r.kind === 'added').map((r) => [r.right?.n, r.right?.text])).toEqual([
      [3, 'y'],
      [4, 'z'],
    ]);
  });

  it('says nothing changed for equal texts', () => {
    expect(diffLines('same\ntext', 'same\ntext').every((r) => r.kind === 'same')).toBe(true);
  });
});
