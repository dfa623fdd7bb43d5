/** What an application still has, in words, or undefined when it may be deleted. Shared by the BFF and the mocks. */
export function blockersOf(d: { pipelines: readonly string[]; serverGroups: readonly string[]; loadBalancers: readonly string[]; executions: number }): string | undefined {
  const list = (what: string, names: readonly string[]) =>
    names.length ? [`${what} ${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`] : [];
  const parts = [
    ...list(names(d.pipelines.length, 'pipeline'), d.pipelines),
    ...list(names(d.serverGroups.length, 'server group'), d.serverGroups),
    ...list(names(d.loadBalancers.length, 'load balancer'), d.loadBalancers),
    // Past executions are its audit trail: they are not deleted with it.
    ...(d.executions > 0 ? [`${d.executions} past execution${d.executions === 1 ? '' : 's'}`] : []),
  ];
  return parts.length ? parts.join('; ') : undefined;
}

const names = (n: number, one: string) => (n === 1 ? one : `${one}s`);
