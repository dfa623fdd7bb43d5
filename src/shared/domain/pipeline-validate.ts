import type { z } from 'zod';
import { PipelineDraft, type StageConfig } from './pipeline';
import { isStageType, stageDefinitions, STAGE_TYPES } from '../stages/registry';
import { cyclicGroups, unreachableStages } from './pipeline-reachability';
import { fieldNameAt, issueSentence } from './problem-messages';
import { checkExpressionFields } from '../stages/config-expressions';
import { triggerExpressionProblems } from './trigger-literals';

export interface PipelineProblem {
  /** Where, as a JSON-ish path: `stages[2].config.seconds`. */
  path: string;
  /** The stage concerned, so an editor can mark the node. */
  stageRefId?: string;
  stageName?: string;
  message: string;
}

export type PipelineValidation = { ok: true; pipeline: PipelineDraft; problems: [] } | { ok: false; problems: PipelineProblem[] };

function pathOf(segments: ReadonlyArray<PropertyKey>): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
}

function stageAt(raw: unknown, index: number): { refId?: string; name?: string; type?: string } {
  const stages = (raw as { stages?: unknown })?.stages;
  const stage = Array.isArray(stages) ? (stages[index] as Record<string, unknown> | undefined) : undefined;
  return {
    ...(typeof stage?.refId === 'string' ? { refId: stage.refId } : {}),
    ...(typeof stage?.name === 'string' ? { name: stage.name } : {}),
    ...(typeof stage?.type === 'string' ? { type: stage.type } : {}),
  };
}

function fromIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, prefix: ReadonlyArray<PropertyKey> = []): PipelineProblem[] {
  return issues.map((issue) => {
    const full = [...prefix, ...issue.path];
    const stageIndex = full[0] === 'stages' && typeof full[1] === 'number' ? full[1] : undefined;
    const stage = stageIndex === undefined ? {} : stageAt(raw, stageIndex);
    return {
      path: pathOf(full),
      ...(stage.refId ? { stageRefId: stage.refId } : {}),
      ...(stage.name ? { stageName: stage.name } : {}),
      message: issueSentence(issue, fieldNameAt(full, stage.type)),
    };
  });
}

const STAGE_REF = /stages\[\s*['"]([^'"]+)['"]\s*\]/g;

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The stages each stage transitively waits for. */
function ancestors(stages: readonly StageConfig[]): Map<string, Set<string>> {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const memo = new Map<string, Set<string>>();
  const visit = (refId: string, trail: Set<string>): Set<string> => {
    const known = memo.get(refId);
    if (known) return known;
    const result = new Set<string>();
    if (trail.has(refId)) return result;
    trail.add(refId);
    for (const parent of byRef.get(refId)?.requisiteStageRefIds ?? []) {
      if (!byRef.has(parent)) continue;
      result.add(parent);
      for (const a of visit(parent, trail)) result.add(a);
    }
    trail.delete(refId);
    memo.set(refId, result);
    return result;
  };
  for (const s of stages) visit(s.refId, new Set());
  return memo;
}

/** One cycle of two or more stages (refIds, first repeated last); self-dependencies are reported on their own. */
export function findCycle(stages: readonly Pick<StageConfig, 'refId' | 'requisiteStageRefIds'>[]): string[] | undefined {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const dfs = (refId: string): string[] | undefined => {
    state.set(refId, 'visiting');
    stack.push(refId);
    for (const next of byRef.get(refId)?.requisiteStageRefIds ?? []) {
      if (!byRef.has(next) || next === refId) continue;
      if (state.get(next) === 'visiting') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = dfs(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(refId, 'done');
    return undefined;
  };
  for (const s of stages) {
    if (!state.has(s.refId)) {
      const found = dfs(s.refId);
      if (found) return found.reverse();
    }
  }
  return undefined;
}

/** Every problem with a pipeline at once, each naming the stage and field — the editor and the BFF share it. */
export function validatePipeline(raw: unknown): PipelineValidation {
  // Said in place of what the schema says of the same field (a cron parse error, a regex that never matches).
  const literal = triggerExpressionProblems(raw);
  const parsed = PipelineDraft.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: [...literal, ...fromIssues(parsed.error.issues, raw).filter((p) => !literal.some((l) => l.path === p.path))] };
  const draft = parsed.data;
  const problems: PipelineProblem[] = [...literal];
  const at = (i: number, field: string, message: string) => {
    const s = draft.stages[i]!;
    problems.push({ path: `stages[${i}]${field ? `.${field}` : ''}`, stageRefId: s.refId, stageName: s.name, message });
  };

  const refIds = new Map<string, number>();
  const names = new Map<string, number>();
  draft.stages.forEach((stage, i) => {
    if (refIds.has(stage.refId)) at(i, 'refId', `refId '${stage.refId}' is already used by stage #${refIds.get(stage.refId)! + 1}`);
    else refIds.set(stage.refId, i);
    if (names.has(stage.name)) at(i, 'name', `stage name '${stage.name}' is already used; expressions find stages by name`);
    else names.set(stage.name, i);
  });

  draft.stages.forEach((stage, i) => {
    if (!isStageType(stage.type)) {
      at(i, 'type', `unknown stage type '${stage.type}' (known: ${STAGE_TYPES.join(', ')})`);
    } else {
      // A field holding a `${ … }` is checked here as far as its value is known now, the rest when the stage runs.
      const prefix = ['stages', i, 'config'];
      const describe = (issue: z.core.$ZodIssue) => issueSentence(issue, fieldNameAt([...prefix, ...issue.path], stage.type));
      const checked = checkExpressionFields(stageDefinitions[stage.type].config, stage.config, draft.parameters, describe);
      problems.push(...fromIssues(checked.issues, raw, prefix));
      for (const p of checked.problems) at(i, pathOf(['config', ...p.path]), p.message);
    }
    stage.requisiteStageRefIds.forEach((ref, j) => {
      if (ref === stage.refId) at(i, `requisiteStageRefIds[${j}]`, 'a stage cannot depend on itself');
      else if (!refIds.has(ref)) at(i, `requisiteStageRefIds[${j}]`, `depends on unknown stage refId '${ref}'`);
    });
  });

  // Every group of stages that wait for each other is told once, along one cycle through it.
  const reported = new Set(problems.filter((p) => p.stageRefId && p.path.includes('.requisiteStageRefIds[')).map((p) => p.stageRefId!));
  const label = (ref: string) => `'${draft.stages[refIds.get(ref)!]?.name ?? ref}'`;
  const groups = cyclicGroups(draft.stages);
  for (const group of groups) {
    const members = new Set(group);
    const cycle = findCycle(draft.stages.filter((s) => members.has(s.refId)))!;
    for (const ref of cycle) reported.add(ref);
    // A loop through hundreds of stages is named by its ends, not in a message thousands of characters long.
    const names = cycle.length > 12 ? [...cycle.slice(0, 5).map(label), `… ${cycle.length - 10} more …`, ...cycle.slice(-5).map(label)] : cycle.map(label);
    at(refIds.get(cycle[0]!)!, 'requisiteStageRefIds', `stages form a cycle: ${names.join(' → ')}`);
  }
  for (const u of unreachableStages(draft.stages, reported)) {
    const i = refIds.get(u.refId)!;
    const via = draft.stages[i]!.requisiteStageRefIds[u.via]!;
    const why = { missing: 'depends on a stage that does not exist', self: 'depends on itself', cycle: 'is part of a cycle' }[u.why];
    const because = via === u.root ? `which ${why}` : `which can never run because ${label(u.root)} ${why}`;
    at(i, `requisiteStageRefIds[${u.via}]`, `unreachable: it waits for ${label(via)}, ${because}`);
  }
  if (groups.length === 0) {
    // Worked out on the first reference to another stage: every stage's ancestors are n²/2 entries
    // (125,000 for 500 stages, 10–30 ms of the editor's main thread per check), and most pipelines
    // refer to no other stage at all.
    let known: Map<string, Set<string>> | undefined;
    const runsBefore = (target: string, stage: string) => (known ??= ancestors(draft.stages)).get(stage)?.has(target) === true;
    draft.stages.forEach((stage, i) => {
      for (const text of stringsIn([stage.config, stage.condition])) {
        for (const m of text.matchAll(STAGE_REF)) {
          const target = names.get(m[1]!);
          if (target === undefined) at(i, 'config', `refers to stages['${m[1]}'], which does not exist`);
          else if (!runsBefore(draft.stages[target]!.refId, stage.refId)) at(i, 'config', `refers to stages['${m[1]}'], which does not run before it`);
        }
      }
      if (stage.type === 'checkPreconditions' && Array.isArray(stage.config.preconditions)) {
        stage.config.preconditions.forEach((p: unknown, j: number) => {
          const named = (p as { type?: unknown; stage?: unknown }).type === 'stageStatus' ? String((p as { stage?: unknown }).stage) : undefined;
          if (named === undefined) return;
          const target = names.get(named);
          if (target === undefined) at(i, `config.preconditions[${j}].stage`, `checks the status of stage '${named}', which does not exist`);
          else if (!runsBefore(draft.stages[target]!.refId, stage.refId))
            at(i, `config.preconditions[${j}].stage`, `checks the status of stage '${named}', which does not run before it`);
        });
      }
    });
  }

  const params = new Set<string>();
  draft.parameters.forEach((p, i) => {
    if (params.has(p.name)) problems.push({ path: `parameters[${i}].name`, message: `parameter '${p.name}' is declared twice` });
    params.add(p.name);
    if (p.options && p.default !== undefined && !p.options.includes(p.default)) {
      problems.push({ path: `parameters[${i}].default`, message: `default '${p.default}' is not one of the options` });
    }
  });

  return problems.length === 0 ? { ok: true, pipeline: draft, problems: [] } : { ok: false, problems };
}

/**
 * One sentence for people: the first problem, in the stage it is in, and how many more there are
 * (the CLI prints it; the 400's `field` and `details.problems` carry the paths).
 */
export function describeProblems(problems: readonly PipelineProblem[]): string {
  const first = problems[0];
  if (!first) return 'the pipeline is valid';
  const where = first.stageName ? `Stage '${first.stageName}': ` : '';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return `${where}${first.message}${more}`;
}
