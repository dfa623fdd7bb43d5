/**
 * A stage and every stage that (transitively) waits for it: what "restart this stage" resets, and
 * what a rejected judgment holds back. One walk for the engine and the shared stage rules.
 */
export function downstreamOf(stages: readonly { refId: string; requisiteStageRefIds: readonly string[] }[], refId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const s of stages) for (const r of s.requisiteStageRefIds) children.set(r, [...(children.get(r) ?? []), s.refId]);
  const result = new Set<string>();
  const queue = [refId];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (result.has(next)) continue;
    result.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return result;
}
