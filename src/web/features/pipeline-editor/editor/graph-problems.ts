import type { PipelineDraft } from '../../../../shared/domain/pipeline';
import { cyclicGroups } from '../../../../shared/domain/pipeline-reachability';
import { validatePipeline, type PipelineProblem } from '../../../../shared/domain/pipeline-validate';
import { edgeKey } from '../../../lib/graph-layout/layout-types';

export interface GraphProblems {
  all: PipelineProblem[];
  byStage: ReadonlyMap<string, PipelineProblem[]>;
  /** Edges (`source->target`) that are part of a problem: a cycle, a dependency on a missing stage, or the way to an unreachable stage. */
  edges: ReadonlySet<string>;
}

/** The BFF's own rules (validatePipeline), mapped onto nodes and edges for drawing. */
export function graphProblems(draft: PipelineDraft): GraphProblems {
  const result = validatePipeline(draft);
  const byStage = new Map<string, PipelineProblem[]>();
  for (const p of result.problems) {
    if (p.stageRefId) byStage.set(p.stageRefId, [...(byStage.get(p.stageRefId) ?? []), p]);
  }
  const edges = new Set<string>();
  // Every dependency inside a group of stages that wait for each other is part of some cycle.
  const group = new Map<string, number>();
  cyclicGroups(draft.stages).forEach((g, i) => g.forEach((ref) => group.set(ref, i)));
  for (const s of draft.stages) {
    for (const r of s.requisiteStageRefIds) if (group.has(r) && group.get(r) === group.get(s.refId)) edges.add(edgeKey(r, s.refId));
  }
  for (const p of result.problems) {
    const m = /^stages\[(\d+)\]\.requisiteStageRefIds\[(\d+)\]$/.exec(p.path);
    const stage = m ? draft.stages[Number(m[1])] : undefined;
    const ref = stage?.requisiteStageRefIds[Number(m![2])];
    if (stage && ref !== undefined) edges.add(edgeKey(ref, stage.refId));
  }
  return { all: result.problems, byStage, edges };
}

/** Problems of one stage by the field they name: `config.seconds` → `seconds` in `config`, `name` in `stage`. */
export function fieldErrors(problems: readonly PipelineProblem[]) {
  const config = new Map<string, string[]>();
  const stage = new Map<string, string[]>();
  for (const p of problems) {
    const m = /^stages\[\d+\](?:\.(config)(?:\.([A-Za-z0-9_]+))?|\.([A-Za-z]+))?/.exec(p.path);
    if (!m) continue;
    if (m[1] === 'config') {
      const key = m[2] ?? '';
      config.set(key, [...(config.get(key) ?? []), p.message]);
    } else {
      const key = m[3] ?? '';
      stage.set(key, [...(stage.get(key) ?? []), p.message]);
    }
  }
  return { config, stage };
}
