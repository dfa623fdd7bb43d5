import type { BuildStage, RecipeDraft, StageCopy } from '../domain/recipe';

export interface StageProblem {
  /** Dotted path into the recipe, e.g. `stages.1.copy.0.from`. */
  path: string;
  message: string;
}

type Stages = Pick<RecipeDraft, 'stages' | 'copy' | 'builder'>;

const copiesOf = (stage: Pick<BuildStage, 'copy'>): StageCopy[] => stage.copy ?? [];

/**
 * What the schema alone cannot see in a multi-stage recipe: a stage named twice, a copy from a
 * stage that does not exist, stages copying from each other in a circle, copies the packer
 * builder cannot take. Every problem names its field, as the rest of the recipe's do.
 */
export function stageProblems(recipe: Stages): StageProblem[] {
  const problems: StageProblem[] = [];
  const stages = recipe.stages ?? [];
  const byName = new Map<string, number>();
  stages.forEach((s, i) => {
    if (byName.has(s.name)) problems.push({ path: `stages.${i}.name`, message: `stage '${s.name}' is already the name of stage ${(byName.get(s.name) ?? 0) + 1}` });
    else byName.set(s.name, i);
  });
  const known = stages.length ? `the stages are ${[...byName.keys()].map((n) => `'${n}'`).join(', ')}` : 'the recipe declares no stages';
  const checkFrom = (copies: StageCopy[], at: string) =>
    copies.forEach((c, j) => {
      if (!byName.has(c.from)) problems.push({ path: `${at}copy.${j}.from`, message: `no build stage named '${c.from}' (${known})` });
    });
  checkFrom(recipe.copy ?? [], '');
  stages.forEach((s, i) => checkFrom(copiesOf(s), `stages.${i}.`));
  if (recipe.builder === 'packer' && (recipe.copy?.length ?? 0) > 0) {
    problems.push({ path: 'builder', message: 'the packer builder cannot take copies from build stages: use bundle, disk or oci' });
  }
  // A circle: follow each stage's copies depth-first; meeting a stage still on the path closes one.
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): void => {
    const i = byName.get(name);
    if (i === undefined || state.get(name) === 'done') return;
    state.set(name, 'visiting');
    path.push(name);
    copiesOf(stages[i]!).forEach((c, j) => {
      if (state.get(c.from) === 'visiting') {
        const circle = [...path.slice(path.indexOf(c.from)), c.from].join(' → ');
        problems.push({ path: `stages.${i}.copy.${j}.from`, message: `stages copy from each other in a circle (${circle}): none of them could be built first` });
      } else visit(c.from);
    });
    path.pop();
    state.set(name, 'done');
  };
  for (const name of byName.keys()) visit(name);
  return problems;
}

/**
 * The stages a bake builds, each after the stages it copies from: only those the image's copies
 * reach (as Docker builds only the stages a target needs). Assumes stageProblems found nothing.
 */
export function stageBuildOrder(recipe: Stages): BuildStage[] {
  const stages = new Map((recipe.stages ?? []).map((s) => [s.name, s]));
  const order: BuildStage[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const stage = stages.get(name);
    if (!stage || seen.has(name)) return;
    seen.add(name);
    for (const c of copiesOf(stage)) visit(c.from);
    order.push(stage);
  };
  for (const c of recipe.copy ?? []) visit(c.from);
  return order;
}
