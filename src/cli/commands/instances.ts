import { getInstance } from '../../shared/api/clusters';
import { rebootInstance, terminateInstance } from '../../shared/api/instances';
import { parseMoniker } from '../../shared/domain/moniker';
import { defineCommand, type Context } from '../command';
import { CliError, EXIT, usageError } from '../io';
import { print } from '../output';

const ID = /^i-[a-z0-9]{6,32}$/;

/** An instance id is all a person has in hand (from a log, an alert): its group comes from Kiln. */
async function paramsOf(client: Context['client'], instanceId: string | undefined) {
  if (!instanceId || !ID.test(instanceId)) throw usageError(`expected an instance id (e.g. i-0a1b2c3d4e5f), not '${instanceId ?? ''}'`);
  const instance = await client(getInstance, { params: { instanceId } });
  const moniker = parseMoniker(instance.serverGroup);
  if (!moniker.ok) throw new CliError(`instance ${instanceId} belongs to '${instance.serverGroup}', which is not a server group name`, EXIT.failed);
  return { application: moniker.moniker.app, account: instance.account, region: instance.region, serverGroup: instance.serverGroup, instanceId };
}

export const instanceCommands = [
  defineCommand({
    words: ['instance', 'reboot'],
    args: ['INSTANCE_ID'],
    summary: 'Restarts one instance in place: it keeps its id, leaves the load balancers and comes back once healthy',
    async run({ io, client, positionals, json }) {
      const params = await paramsOf(client, positionals[0]);
      const detail = await client(rebootInstance, { params, body: {} });
      print(io, json, detail, () => `Rebooting ${params.instanceId} of ${params.account}/${params.region}/${params.serverGroup}: out of traffic until healthy again.\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['instance', 'terminate'],
    args: ['INSTANCE_ID'],
    summary: 'Stops one instance for good; its server group launches a replacement to keep its desired capacity',
    async run({ io, client, positionals, json }) {
      const params = await paramsOf(client, positionals[0]);
      const detail = await client(terminateInstance, { params, body: {} });
      print(io, json, detail, () => `Terminated ${params.instanceId}; ${params.serverGroup} launches a replacement (${detail.serverGroup.capacity.desired} desired).\n`);
      return EXIT.ok;
    },
  }),
];
