import { describe, expect, it } from 'vitest';
import { diffLines } from './text-diff';
import { stableJson } from '../editor/pipeline-draft';

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

describe('stableJson', () => {
  const judgment = (config: Record<string, unknown>) => ({
    application: 'web',
    name: 'Deploy',
    stages: [{ refId: 'ok', type: 'manualJudgment', name: 'Approve', config }],
  });

  it('prints a stage config the same whatever order its keys were stored in, so an unchanged stage shows no diff', () => {
    // As the form builds it, and as the database hands it back (JSON keys reordered).
    const edited = stableJson(judgment({ instructions: 'Ship it?', inputOptions: ['go'], allowedRoles: [], nested: { b: 1, a: 2 } }));
    const stored = stableJson(judgment({ allowedRoles: [], inputOptions: ['go'], nested: { a: 2, b: 1 }, instructions: 'Ship it?' }));
    expect(stored).toBe(edited);
    expect(diffLines(stored, edited).every((r) => r.kind === 'same')).toBe(true);
    // The pipeline's own fields stay in the schema's order, not alphabetical.
    expect(Object.keys(JSON.parse(edited) as object).slice(0, 3)).toEqual(['application', 'name', 'description']);
  });
});
