import type { StageConfig } from './pipeline';

type GraphStage = Pick<StageConfig, 'refId' | 'requisiteStageRefIds'>;

/**
 * Groups of two or more stages that wait for each other (strongly connected components), in the
 * order of their first stage. Tarjan's algorithm, iterative so a 2,000-stage chain cannot overflow
 * the stack. Self-dependencies are not components here: they are reported on their own.
 */
export function cyclicGroups(stages: readonly GraphStage[]): string[][] {
  const byRef = new Map<string, GraphStage>();
  for (const s of stages) if (!byRef.has(s.refId)) byRef.set(s.refId, s);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const start of byRef.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ ref: string; next: number }> = [{ ref: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const parents = byRef.get(frame.ref)!.requisiteStageRefIds;
      if (frame.next < parents.length) {
        const p = parents[frame.next++]!;
        if (!byRef.has(p) || p === frame.ref) continue;
        if (!index.has(p)) {
          index.set(p, counter);
          low.set(p, counter++);
          stack.push(p);
          onStack.add(p);
          work.push({ ref: p, next: 0 });
        } else if (onStack.has(p)) low.set(frame.ref, Math.min(low.get(frame.ref)!, index.get(p)!));
        continue;
      }
      work.pop();
      const caller = work[work.length - 1];
      if (caller) low.set(caller.ref, Math.min(low.get(caller.ref)!, low.get(frame.ref)!));
      if (low.get(frame.ref) === index.get(frame.ref)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.ref);
        if (group.length > 1) groups.push(group);
      }
    }
  }
  const order = new Map(stages.map((s, i) => [s.refId, i]));
  const first = (g: string[]) => Math.min(...g.map((r) => order.get(r)!));
  return groups.sort((a, b) => first(a) - first(b));
}

export interface Unreachable {
  /** The stage that can never start. */
  refId: string;
  /** Index into its requisiteStageRefIds of the dependency that will never complete. */
  via: number;
  /** The stage where the trouble starts: it depends on a missing stage, on itself, or sits in a cycle. */
  root: string;
  why: 'missing' | 'self' | 'cycle';
}

/**
 * Stages that can never start. The engine starts a stage when every stage it waits for has finished,
 * so a stage waiting (directly or through others) for a stage that does not exist, that waits for
 * itself, or that sits in a cycle would wait forever. Stages in `reported` (those whose own problem
 * is already told: the missing reference, the self-dependency, the cycle) are left out.
 */
export function unreachableStages(stages: readonly GraphStage[], reported: ReadonlySet<string>): Unreachable[] {
  const byRef = new Map<string, GraphStage>();
  for (const s of stages) if (!byRef.has(s.refId)) byRef.set(s.refId, s);
  const inCycle = new Set(cyclicGroups(stages).flat());
  const cause = (s: GraphStage): Unreachable['why'] | undefined => {
    if (s.requisiteStageRefIds.some((r) => !byRef.has(r))) return 'missing';
    if (s.requisiteStageRefIds.includes(s.refId)) return 'self';
    return inCycle.has(s.refId) ? 'cycle' : undefined;
  };
  // For each stage: undefined = runs; otherwise its stuck dependency and where the trouble starts.
  const memo = new Map<string, { via: number; root: string; why: Unreachable['why'] } | null>();
  const stuck = (refId: string): { via: number; root: string; why: Unreachable['why'] } | null => {
    const known = memo.get(refId);
    if (known !== undefined) return known;
    const s = byRef.get(refId)!;
    const own = cause(s);
    let result: { via: number; root: string; why: Unreachable['why'] } | null = null;
    if (own) result = { via: -1, root: refId, why: own };
    else {
      // Not in a cycle, so following requisites never comes back here.
      for (const [j, r] of s.requisiteStageRefIds.entries()) {
        const up = stuck(r);
        if (up) {
          result = { via: j, root: up.root, why: up.why };
          break;
        }
      }
    }
    memo.set(refId, result);
    return result;
  };
  const found: Unreachable[] = [];
  for (const s of byRef.values()) {
    if (reported.has(s.refId) || !stuck(s.refId)) continue;
    // A stage stuck by its own cause (e.g. a second cycle's member) is told through a requisite that is stuck too.
    const via = s.requisiteStageRefIds.findIndex((r) => r !== s.refId && byRef.has(r) && stuck(r));
    if (via < 0) continue;
    const up = stuck(s.requisiteStageRefIds[via]!)!;
    found.push({ refId: s.refId, via, root: up.root, why: up.why });
  }
  return found;
}
