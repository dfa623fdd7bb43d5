import type { StageConfig } from '../../../../shared/domain/pipeline';
import { stageDefinitions, type StageType } from '../../../../shared/stages/registry';
import type { EdgeRef } from './draft-store';

/** `base`, or `base 2`, `base 3`… whichever no stage has yet. */
export function uniqueName(stages: readonly Pick<StageConfig, 'name'>[], base: string): string {
  const taken = new Set(stages.map((s) => s.name));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** Numeric refIds like Spinnaker's ("1", "2", …): short, stable, and never reused within a draft. */
export function nextRefId(stages: readonly Pick<StageConfig, 'refId'>[], taken: ReadonlySet<string> = new Set()): string {
  let max = 0;
  for (const s of stages) {
    const n = Number(s.refId);
    if (Number.isInteger(n) && n > max) max = n;
  }
  let next = max + 1;
  while (taken.has(String(next))) next++;
  return String(next);
}

export function newStage(stages: readonly StageConfig[], type: StageType, requisites: string[]): StageConfig {
  const def = stageDefinitions[type];
  return {
    refId: nextRefId(stages),
    type,
    name: uniqueName(stages, def.label),
    requisiteStageRefIds: requisites,
    // A deep copy: defaults hold arrays and objects the form will edit.
    config: structuredClone(def.defaults) as Record<string, unknown>,
    failPolicy: 'halt_pipeline',
  };
}

export const insertStage = newStage;

/** A new stage between source and target: target now waits for it, and it waits for source. */
export function stageOnEdge(stages: readonly StageConfig[], edge: EdgeRef, type: StageType) {
  const stage = newStage(stages, type, [edge.source]);
  const next = stages.map((s) => (s.refId === edge.target ? { ...s, requisiteStageRefIds: s.requisiteStageRefIds.map((r) => (r === edge.source ? stage.refId : r)) } : s));
  return { stages: [...next, stage], stage };
}

/** An existing stage put on source → target: it waits for source, target waits for it instead of for source (the direct edge goes). */
export function spliceStage(stages: readonly StageConfig[], refId: string, edge: EdgeRef): StageConfig[] {
  return stages.map((s) => {
    if (s.refId === refId) return s.requisiteStageRefIds.includes(edge.source) ? s : { ...s, requisiteStageRefIds: [...s.requisiteStageRefIds, edge.source] };
    if (s.refId !== edge.target) return s;
    const deps = s.requisiteStageRefIds.map((r) => (r === edge.source ? refId : r));
    return { ...s, requisiteStageRefIds: [...new Set(deps)] };
  });
}

/** Stages without the removed ones, and without any dependency on them. */
export function removeStageRefs(stages: readonly StageConfig[], gone: ReadonlySet<string>): StageConfig[] {
  return stages
    .filter((s) => !gone.has(s.refId))
    .map((s) => {
      const kept = s.requisiteStageRefIds.filter((r) => !gone.has(r));
      return kept.length === s.requisiteStageRefIds.length ? s : { ...s, requisiteStageRefIds: kept };
    });
}

/**
 * Copies of `copied` with fresh refIds and names; links among the copies follow them, links to
 * stages outside the copy are dropped (a pasted branch starts unconnected).
 */
export function pasteStages(existing: readonly StageConfig[], copied: readonly StageConfig[]) {
  const idMap = new Map<string, string>();
  const taken = new Set<string>();
  for (const s of copied) {
    const id = nextRefId(existing, taken);
    taken.add(id);
    idMap.set(s.refId, id);
  }
  const named: StageConfig[] = [...existing];
  const stages = copied.map((s) => {
    const copy: StageConfig = {
      ...structuredClone(s),
      refId: idMap.get(s.refId)!,
      name: uniqueName(named, s.name),
      requisiteStageRefIds: s.requisiteStageRefIds.flatMap((r) => (idMap.has(r) ? [idMap.get(r)!] : [])),
    };
    named.push(copy);
    return copy;
  });
  return { stages, idMap };
}
