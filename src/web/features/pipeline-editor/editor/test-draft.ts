import type { PipelineDraft } from '../../../../shared/domain/pipeline';
import type { ApplicationName } from '../../../../shared/domain/names';
import { createDraftStore } from './draft-store';

const STAGES: PipelineDraft['stages'] = [
  { refId: '1', type: 'runJob', name: 'Build', requisiteStageRefIds: [], config: { command: 'make' }, failPolicy: 'halt_pipeline' },
  { refId: '2', type: 'wait', name: 'Soak', requisiteStageRefIds: ['1'], config: { seconds: 5 }, failPolicy: 'halt_pipeline' },
  { refId: '3', type: 'wait', name: 'Ship', requisiteStageRefIds: ['2'], config: { seconds: 5 }, failPolicy: 'halt_pipeline' },
];

/** A pipeline of the first `stages` of Build → Soak → Ship, for the draft store tests. */
export function testDraft(stages: 2 | 3 = 2): PipelineDraft {
  return {
    application: 'web' as ApplicationName,
    name: 'p',
    description: '',
    stages: STAGES.slice(0, stages),
    triggers: [{ type: 'manual', enabled: true }],
    parameters: [],
    notifications: [],
    concurrency: { limitConcurrent: true, keepWaitingPipelines: false, maxConcurrentExecutions: 1 },
    disabled: false,
  };
}

export type DraftStore = ReturnType<typeof createDraftStore>;

/** Each stage's name → what it waits for: the dependencies as a user reads them on the canvas. */
export const deps = (s: DraftStore) => Object.fromEntries(s.getState().draft.stages.map((x) => [x.name, x.requisiteStageRefIds]));
