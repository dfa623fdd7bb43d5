import { describe, expect, it } from 'vitest';
import { Trigger } from './pipeline';
import { resolveWatched, watches } from './pipeline-watch';

const ID = '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01';
const watching = (pipeline: string, id?: string) => Trigger.parse({ type: 'pipeline', application: 'web', pipeline, ...(id ? { id } : {}) });

describe('watches', () => {
  it('matches a trigger holding an id by id only, so a pipeline named as that id does not fire it', () => {
    expect(watches({ pipeline: ID }, { pipelineId: ID, pipelineName: 'Build' })).toBe(true);
    expect(watches({ pipeline: ID }, { pipelineId: 'another', pipelineName: ID })).toBe(false);
    expect(watches({ pipeline: 'Build' }, { pipelineId: ID, pipelineName: 'Build' })).toBe(true);
  });
});

describe('resolveWatched', () => {
  const idOf = (application: string, name: string) => (application === 'web' && name === 'Build' ? ID : undefined);
  it('turns a name into the id, keeps ids and unknown names already stored, and refuses a new unknown name', () => {
    expect(resolveWatched([watching('Build'), watching(ID)], idOf).triggers.map((t) => t.type === 'pipeline' && t.pipeline)).toEqual([ID, ID]);
    expect(resolveWatched([watching('Gone', 't0')], idOf, [watching('Gone')]).problems).toEqual([]);
    expect(resolveWatched([watching('Gone')], idOf).problems).toEqual([expect.objectContaining({ path: 'triggers[0].pipeline' })]);
  });
});
