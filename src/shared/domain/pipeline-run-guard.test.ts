import { describe, expect, it } from 'vitest';
import { PipelineDraft } from './pipeline';
import { guardRunContent, runChanges } from './pipeline-run-guard';

const base = PipelineDraft.parse({
  application: 'web',
  name: 'Deploy',
  stages: [{ refId: 'a', type: 'wait', name: 'Wait', config: { seconds: 5, note: 'x' } }],
  triggers: [{ type: 'cron', id: 'c', expression: '0 * * * *', runAs: 'ana', setAt: '2026-01-01T00:00:00.000Z' }],
  parameters: [{ name: 'target', default: 'staging' }],
});
const walt = { by: 'walt', at: '2026-12-06T10:00:00.000Z', mayExecute: false };

describe('runChanges', () => {
  it('ignores key order, the name and the description; stopping the pipeline is no change, starting it again is', () => {
    const reordered = {
      ...base,
      name: 'Renamed',
      description: 'new',
      stages: [{ config: { note: 'x', seconds: 5 }, name: 'Wait', type: 'wait', refId: 'a', requisiteStageRefIds: [], failPolicy: 'halt_pipeline' as const }],
    };
    expect(runChanges(reordered, base)).toEqual([]);
    expect(runChanges({ ...base, disabled: true }, base)).toEqual([]);
    expect(runChanges(base, { ...base, disabled: true })).toEqual(['disabled']);
    expect(runChanges({ ...base, parameters: [{ name: 'target', default: 'prod', required: false }] }, base)).toEqual(['parameters']);
  });
});

describe('guardRunContent', () => {
  it('refuses a WRITE-only change to what a live automatic trigger runs, naming whom it runs as', () => {
    const res = guardRunContent({ ...base, stages: [] }, base, walt);
    expect(res).toMatchObject({ ok: false, field: 'stages', message: expect.stringContaining('runs automatically as ana (cron trigger)') });
  });

  it('lets anyone change a pipeline whose automatic triggers are off, and makes an EXECUTE saver the run-as of the rest', () => {
    const off = { ...base, triggers: [{ ...base.triggers[0]!, enabled: false }] };
    expect(guardRunContent({ ...off, stages: [] }, off, walt)).toMatchObject({ ok: true });
    const res = guardRunContent({ ...base, stages: [] }, base, { ...walt, by: 'ed', mayExecute: true });
    expect(res).toEqual({ ok: true, triggers: [expect.objectContaining({ runAs: 'ed', setAt: walt.at })] });
    expect(guardRunContent({ ...base, description: 'doc' }, base, { ...walt, by: 'ed', mayExecute: true })).toEqual({ ok: true, triggers: base.triggers });
  });
});
