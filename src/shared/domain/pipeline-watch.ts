import type { Trigger } from './pipeline';
import type { PipelineProblem } from './pipeline-validate';

/**
 * A pipeline trigger watches another pipeline by its id, never by its name: names can be reused
 * (rename one, create one), so matching by name let anyone with WRITE on the watched application
 * make a pipeline that starts someone else's. A name typed in the editor becomes the id on save;
 * one module for the BFF, the mocks and the engine.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const looksLikePipelineId = (s: string): boolean => UUID.test(s);

/** The applications whose pipelines `triggers` watch: what resolveWatched needs to look names up in. */
export const watchedApplications = (triggers: readonly Trigger[]): string[] => [...new Set(triggers.flatMap((t) => (t.type === 'pipeline' ? [t.application] : [])))];

/** Whether a pipeline trigger fires for a run of this pipeline. Triggers stored by name before ids match by name until saved again. */
export function watches(t: { pipeline: string }, run: { pipelineId: string; pipelineName: string }): boolean {
  return looksLikePipelineId(t.pipeline) ? t.pipeline === run.pipelineId : t.pipeline === run.pipelineName;
}

/**
 * Pipeline triggers with the watched pipeline's name replaced by its id (`idOf(application, name)`).
 * An unknown name is a problem: naming a pipeline that does not exist yet would let whoever creates
 * one by that name start this one. An id is kept as it is (one from an import matches nothing), and
 * so is an unknown name already stored in `stored` (so an unrelated edit still saves).
 */
export function resolveWatched(
  triggers: readonly Trigger[],
  idOf: (application: string, name: string) => string | undefined,
  stored: readonly Trigger[] = [],
): { triggers: Trigger[]; problems: PipelineProblem[] } {
  const problems: PipelineProblem[] = [];
  const resolved = triggers.map((t, i): Trigger => {
    if (t.type !== 'pipeline' || looksLikePipelineId(t.pipeline)) return t;
    const id = idOf(t.application, t.pipeline);
    // Stored triggers from before ids existed are known by their place (see pipeline-secrets.ts).
    const kept = stored.some((s, j) => s.type === 'pipeline' && (s.id ?? `t${j}`) === t.id && s.application === t.application && s.pipeline === t.pipeline);
    if (!id && !kept) problems.push({ path: `triggers[${i}].pipeline`, message: `application '${t.application}' has no pipeline named '${t.pipeline}'` });
    return id ? { ...t, pipeline: id } : t;
  });
  return { triggers: resolved, problems };
}
