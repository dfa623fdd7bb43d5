import { PipelineDraft, type Pipeline } from '../../../shared/domain/pipeline';

/** What the editor edits: the stored pipeline without its identity and bookkeeping. */
export function draftOf(pipeline: Pipeline): PipelineDraft {
  const { id: _id, revision: _revision, updatedAt: _at, updatedBy: _by, ...draft } = pipeline;
  return draft;
}

/** JSON in the schema's own key order (zod rebuilds objects), so two versions diff line by line. */
export function stableJson(draft: unknown): string {
  const parsed = PipelineDraft.safeParse(draft);
  return JSON.stringify(parsed.success ? parsed.data : draft, null, 2);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads an edited text's value as a draft the graph can draw, even when the shared rules would
 * refuse it (those problems are shown, not hidden). Only a shape the editor cannot draw is an error.
 */
export function lenientDraft(raw: unknown, current: PipelineDraft): { draft: PipelineDraft } | { error: string } {
  if (!isObject(raw)) return { error: 'the pipeline must be an object' };
  if (!Array.isArray(raw.stages)) return { error: 'stages must be a list' };
  for (const key of ['triggers', 'parameters', 'notifications'] as const) {
    if (key in raw && !Array.isArray(raw[key])) return { error: `${key} must be a list` };
  }
  if ('concurrency' in raw && !isObject(raw.concurrency)) return { error: 'concurrency must be an object' };
  const stages = [];
  for (const [i, s] of raw.stages.entries()) {
    if (!isObject(s) || typeof s.refId !== 'string' || typeof s.type !== 'string') return { error: `stages[${i}] needs a string refId and type` };
    if ('requisiteStageRefIds' in s && !(Array.isArray(s.requisiteStageRefIds) && s.requisiteStageRefIds.every((r) => typeof r === 'string'))) {
      return { error: `stages[${i}].requisiteStageRefIds must be a list of refIds` };
    }
    if ('config' in s && !isObject(s.config)) return { error: `stages[${i}].config must be an object` };
    stages.push({ name: '', requisiteStageRefIds: [], config: {}, failPolicy: 'halt_pipeline', ...s } as unknown as PipelineDraft['stages'][number]);
  }
  const draft = {
    ...current,
    triggers: [],
    parameters: [],
    notifications: [],
    description: '',
    disabled: false,
    ...raw,
    concurrency: { ...current.concurrency, ...(raw.concurrency as object | undefined) },
    // A pipeline cannot move between applications.
    application: current.application,
    stages,
  } as PipelineDraft;
  return { draft };
}
