import type { ConfigField, StageUi } from './stage-ui';
import { str } from './stage-ui';

/** The stage types that pick one server group of a cluster (shared `ServerGroupTarget` config). */
type ServerGroupStageType = 'enableServerGroup' | 'disableServerGroup' | 'resizeServerGroup' | 'destroyServerGroup';

/** Help for the fields every server-group stage shares: all of them pick their server group the same way. */
export const serverGroupTargetHelp: Readonly<Record<ConfigField<ServerGroupStageType>, string>> = {
  account: 'Account of the cluster.',
  region: 'Region of the cluster.',
  cluster: 'Cluster name, e.g. web-prod.',
  target: 'Which server group of the cluster: newest, previous or oldest.',
  serverGroup: 'Or name one explicitly (it must belong to the cluster).',
};

/** What the server-group stages show alike; `verb` heads the node summary, e.g. "disable previous of web-prod". */
export function serverGroupStageUi(verb: string): Pick<StageUi, 'tone' | 'summary'> & {
  help: typeof serverGroupTargetHelp;
} {
  return {
    tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
    summary: (c) => `${verb} ${str(c.serverGroup, str(c.target, 'newest'))} of ${str(c.cluster, '?')}`,
    help: serverGroupTargetHelp,
  };
}
