import { PipelineDraft, type Pipeline } from '../../../../shared/domain/pipeline';

/** What the editor edits: the stored pipeline without its identity and bookkeeping. */
export function draftOf(pipeline: Pipeline): PipelineDraft {
  const { id: _id, revision: _revision, updatedAt: _at, updatedBy: _by, ...draft } = pipeline;
  return draft;
}

/** A value with every object's keys sorted, so two equal values print the same. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

/**
 * JSON in the schema's own key order (zod rebuilds objects), so two versions diff line by line.
 * A stage's config is a free-form record zod keeps as given: its keys are sorted, or a stored
 * revision (the database orders JSON keys its own way) and a draft edited in the form would differ
 * on every unchanged stage.
 */
export function stableJson(draft: unknown): string {
  const parsed = PipelineDraft.safeParse(draft);
  if (!parsed.success) return JSON.stringify(draft, null, 2);
  const stages = parsed.data.stages.map((s) => ({ ...s, config: sortedKeys(s.config) as typeof s.config }));
  return JSON.stringify({ ...parsed.data, stages }, null, 2);
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
