import type { Execution } from '../../shared/domain/execution';
import type { ExpressionScope } from '../../shared/expression/evaluate';

/** What `${ … }` can read in a stage: earlier stages by name, parameters, the trigger, the execution. */
export function expressionScope(execution: Execution): ExpressionScope {
  let stages: Record<string, unknown> | undefined;
  return {
    // Built on first read: a round builds a scope, and on a 1,000-stage chain building every stage's
    // entry each round was a third of the engine's own CPU, though most steps read no expression.
    get stages() {
      stages ??= Object.fromEntries(execution.stages.map((s) => [s.name, { status: s.status, outputs: s.outputs, error: s.error ?? null }]));
      return stages;
    },
    parameters: execution.trigger.parameters,
    trigger: {
      type: execution.trigger.type,
      user: execution.trigger.user,
      ...Object.fromEntries(
        (['payload', 'commit', 'branch', 'tag', 'buildNumber', 'buildUrl', 'image', 'version', 'channel'] as const).flatMap((k) =>
          execution.trigger[k] !== undefined ? [[k, execution.trigger[k]]] : [],
        ),
      ),
    },
    execution: { id: execution.id, application: execution.application, pipeline: execution.pipelineName },
  };
}
