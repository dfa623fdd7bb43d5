import { destroyServerGroup, disableServerGroup, enableServerGroup, getClusterOperation, resizeServerGroup, rollbackCluster } from '../../shared/api/server-groups';
import { describeOperation, isOperationActive } from '../../shared/domain/cluster-operation';
import type { ServerGroupDetail } from '../../shared/api/clusters';
import { parseMoniker } from '../../shared/domain/moniker';
import { defineCommand, type Context } from '../command';
import { CliError, EXIT, usageError } from '../io';
import { print } from '../output';

const REF = 'ACCOUNT/REGION/SERVER_GROUP';

/** `prod/east/web-prod-v002`: the application and cluster come from the name (Kiln's naming rule). */
export function serverGroupRef(ref: string) {
  const [account, region, name, ...rest] = ref.split('/');
  if (!account || !region || !name || rest.length > 0) throw usageError(`expected ${REF} (e.g. prod/east/web-prod-v002), not '${ref}'`);
  const moniker = parseMoniker(name);
  if (!moniker.ok || moniker.moniker.sequence === undefined) throw usageError(`'${name}' is not a server group name (app[-stack[-detail]]-vNNN)`);
  return { application: moniker.moniker.app, account, region, serverGroup: name, cluster: moniker.moniker.cluster };
}

const state = (d: ServerGroupDetail) => {
  const sg = d.serverGroup;
  const up = sg.instances.filter((i) => i.health === 'up').length;
  return `${sg.account}/${sg.region}/${sg.name}: ${sg.disabled ? 'disabled' : 'enabled'}, ${sg.capacity.desired} desired (min ${sg.capacity.min}, max ${sg.capacity.max}), ${up}/${sg.instances.length} up\n`;
};

const count = (values: Context['values'], name: string): number | undefined => {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw)) throw usageError(`--${name} must be a whole number, not '${String(raw)}'`);
  return Number(raw);
};

export const serverGroupCommands = [
  defineCommand({
    words: ['server-group', 'enable'],
    args: [REF],
    summary: 'Puts a server group behind its load balancers',
    async run({ io, client, positionals, json }) {
      const { cluster: _c, ...params } = serverGroupRef(positionals[0]!);
      const detail = await client(enableServerGroup, { params, body: {} });
      print(io, json, detail, () => state(detail));
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['server-group', 'disable'],
    args: [REF],
    summary: 'Takes a server group out of its load balancers (requests in flight finish; instances keep running)',
    async run({ io, client, positionals, json }) {
      const { cluster: _c, ...params } = serverGroupRef(positionals[0]!);
      const detail = await client(disableServerGroup, { params, body: {} });
      print(io, json, detail, () => state(detail));
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['server-group', 'resize'],
    args: [REF],
    summary: 'Sets how many instances a server group runs (min and max stay unless given)',
    options: { desired: { type: 'string' }, min: { type: 'string' }, max: { type: 'string' } },
    optionHelp: ['--desired N  instances to run (required)', '--min N      new minimum', '--max N      new maximum'],
    async run({ io, client, positionals, values, json }) {
      const { cluster: _c, ...params } = serverGroupRef(positionals[0]!);
      const desired = count(values, 'desired');
      if (desired === undefined) throw usageError('--desired N is required');
      const min = count(values, 'min');
      const max = count(values, 'max');
      const detail = await client(resizeServerGroup, { params, body: { capacity: { desired, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) } } });
      print(io, json, detail, () => state(detail));
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['server-group', 'destroy'],
    args: [REF],
    summary: 'Drains a server group, stops its instances and deletes it. The last enabled group of a production cluster needs --confirm with its name',
    options: { confirm: { type: 'string' } },
    optionHelp: ["--confirm NAME  the group's name, required for the last enabled group of a production cluster"],
    async run({ io, client, positionals, values, json }) {
      const { cluster: _c, ...params } = serverGroupRef(positionals[0]!);
      const confirm = values.confirm as string | undefined;
      const result = await client(destroyServerGroup, { params, query: { confirm } }).catch((err: unknown) => {
        // The server's words name its query parameter; say what to type here instead.
        if (err instanceof CliError && err.message.endsWith('(field: confirm)')) {
          throw new CliError(`${err.message}\nTo destroy it anyway: kiln server-group destroy ${positionals[0]} --confirm ${params.serverGroup}`, EXIT.failed);
        }
        throw err;
      });
      print(io, json, result, () => `Destroyed ${params.account}/${params.region}/${result.serverGroup}.\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['server-group', 'rollback'],
    args: [REF],
    summary:
      "Rolls this group's cluster back: the previous group is brought back, once healthy it takes the traffic, this one is disabled. Waits for the rollback to end (exit 1 if it fails) unless --no-wait",
    options: { 'no-wait': { type: 'boolean' } },
    optionHelp: ['--no-wait  return once Kiln has accepted the rollback (it runs on in Kiln); prints the operation'],
    async run({ io, client, positionals, values, json, sleep }) {
      const { application, account, region, cluster } = serverGroupRef(positionals[0]!);
      let { operation } = await client(rollbackCluster, { params: { application, account, region, cluster }, body: {} });
      if (!values['no-wait']) {
        // The rollback runs in Kiln (a restart there does not stop it): follow it until it ends.
        while (isOperationActive(operation)) {
          await sleep(1000);
          operation = await client(getClusterOperation, { params: { operationId: operation.id } });
        }
      }
      const follow = isOperationActive(operation) ? ` Follow it: GET /api/cluster-operations/${operation.id}` : '';
      print(io, json, operation, () => `${describeOperation(operation)}${follow}\n`);
      return operation.state === 'FAILED' ? EXIT.failed : EXIT.ok;
    },
  }),
];
