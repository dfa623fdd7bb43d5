import { describe, expect, it } from 'vitest';
import { stageDefinitions } from '../../shared/stages/registry';
import { fieldsOf, fromText, toText } from './zod-fields';

describe('fields read from a stage schema', () => {
  it('gives each field of the wait stage a box of the right kind, with the schema default', () => {
    expect(fieldsOf(stageDefinitions.wait.config)).toEqual([
      { name: 'seconds', optional: false, kind: { kind: 'number-or-text' } },
      { name: 'skippable', optional: true, kind: { kind: 'boolean' }, default: true },
    ]);
  });

  it('edits lists one per line, maps as NAME=value lines, and anything else as JSON', () => {
    const judgment = fieldsOf(stageDefinitions.manualJudgment.config)!;
    expect(judgment.find((f) => f.name === 'inputOptions')?.kind).toEqual({ kind: 'string-list' });
    const job = fieldsOf(stageDefinitions.runJob.config)!;
    const env = job.find((f) => f.name === 'env')!;
    expect(env.kind).toEqual({ kind: 'string-map' });
    expect(fromText(env.kind, 'A=1\nB=x=y', env.optional)).toEqual({ value: { A: '1', B: 'x=y' } });
    expect(toText(env.kind, { A: '1' })).toBe('A=1');
    const codes = job.find((f) => f.name === 'successExitCodes')!;
    expect(fromText(codes.kind, '0, 2', codes.optional)).toEqual({ value: [0, 2] });
    const pre = fieldsOf(stageDefinitions.checkPreconditions.config)![0]!;
    expect(pre.kind).toEqual({ kind: 'json' });
    expect(fromText(pre.kind, '[{', false)).toMatchObject({ error: expect.stringMatching(/^not valid JSON/) });
  });

  it('reads a number typed into a number-or-expression box as a number, anything else as text', () => {
    const kind = { kind: 'number-or-text' } as const;
    expect(fromText(kind, '45', false)).toEqual({ value: 45 });
    expect(fromText(kind, '${ parameters.delay }', false)).toEqual({ value: '${ parameters.delay }' });
  });
});
