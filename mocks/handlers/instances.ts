import { rebootInstance, terminateInstance } from '../../src/shared/api/instances';
import type { Instance } from '../../src/shared/domain/instance';
import type { ServerGroup } from '../../src/shared/domain/server-group';
import { db } from '../db';
import { handleEndpoint, notFound } from '../handle-endpoint';

type Params = { application: string; account: string; region: string; serverGroup: string; instanceId: string };

// The mock world answers at once: a rebooted instance is back straight away, a terminated one is replaced.
function find(p: Params): { sg: ServerGroup; instance: Instance } {
  if (!db.applications.some((a) => a.name === p.application)) throw notFound(`Application '${p.application}' does not exist.`, 'application');
  const sg = db.serverGroups.find((g) => g.application === p.application && g.account === p.account && g.region === p.region && g.name === p.serverGroup);
  if (!sg) throw notFound(`Server group '${p.serverGroup}' does not exist in ${p.account}/${p.region} for application '${p.application}'.`, 'serverGroup');
  const instance = sg.instances.find((i) => i.id === p.instanceId && i.health !== 'down');
  if (!instance) throw notFound(`Instance '${p.instanceId}' is not a running instance of server group '${sg.name}' in ${sg.account}/${sg.region}.`, 'instanceId');
  return { sg, instance };
}

function replace(sg: ServerGroup, instances: Instance[]) {
  const next = { ...sg, instances };
  db.serverGroups = db.serverGroups.map((g) => (g === sg ? next : g));
  return {
    serverGroup: next,
    loadBalancers: db.loadBalancers.filter((lb) => lb.account === sg.account && lb.region === sg.region && lb.targets.some((t) => t.serverGroup === sg.name)),
  };
}

let counter = 0;
const newId = () => `i-${(Date.now().toString(16) + (counter++).toString(16)).slice(-12).padStart(12, '0')}` as Instance['id'];

export const instanceHandlers = {
  rebootInstance: handleEndpoint(rebootInstance, ({ params }) => {
    const { sg, instance } = find(params);
    return replace(
      sg,
      sg.instances.map((i) => (i === instance ? { ...i, healthDetail: 'rebooted' } : i)),
    );
  }),
  terminateInstance: handleEndpoint(terminateInstance, ({ params }) => {
    const { sg, instance } = find(params);
    const fresh: Instance = { ...instance, id: newId(), launchedAt: new Date().toISOString(), healthDetail: 'replaced a terminated instance' };
    return replace(
      sg,
      sg.instances.map((i) => (i === instance ? fresh : i)),
    );
  }),
};
