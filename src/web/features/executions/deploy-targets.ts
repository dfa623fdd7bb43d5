import type { Execution } from '../../../shared/domain/execution';

export interface DeployTarget {
  image: string | undefined;
  account: string;
  region: string;
  serverGroup: string | undefined;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' && !v.includes('${') ? v : undefined);

/**
 * What each deploy stage of a run ships where: from its outputs once done, else from what its
 * context and config know so far (a running deploy has named its group, not always its image).
 */
export function deployTargets(execution: Execution): DeployTarget[] {
  return execution.stages.flatMap((s) => {
    if (s.type !== 'deploy') return [];
    const account = text(s.outputs.account) ?? text(s.config.account);
    const region = text(s.outputs.region) ?? text(s.config.region);
    if (!account || !region) return [];
    return [
      { image: text(s.outputs.image) ?? text(s.context.image) ?? text(s.config.image), account, region, serverGroup: text(s.outputs.serverGroup) ?? text(s.context.serverGroup) },
    ];
  });
}
