import { listApplications } from '../../shared/api/applications';
import { getClusters } from '../../shared/api/clusters';
import { defineCommand } from '../command';
import { EXIT } from '../io';
import { print, table } from '../output';

export const appCommands = [
  defineCommand({
    words: ['app', 'list'],
    args: [],
    summary: 'Applications with their cluster, server-group and instance counts',
    options: { project: { type: 'string' }, query: { type: 'string', short: 'q' } },
    optionHelp: ["--project NAME  only this project's applications", '-q, --query TEXT  names containing TEXT'],
    async run({ io, client, values, json }) {
      const apps = await client(listApplications, { query: { project: values.project as string | undefined, q: values.query as string | undefined } });
      print(io, json, apps, () =>
        apps.length === 0
          ? 'No applications.\n'
          : table(
              ['APPLICATION', 'PROJECT', 'CLUSTERS', 'SERVER GROUPS', 'INSTANCES', 'ACCOUNTS'],
              apps.map((a) => [a.name, a.project, a.clusterCount, a.serverGroupCount, a.instanceCount, a.accounts.join(',')]),
            ),
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['cluster', 'list'],
    args: ['APP'],
    summary: "An application's clusters: each server group with its region, image, size and health",
    options: { account: { type: 'string' }, region: { type: 'string' } },
    optionHelp: ['--account NAME  only this account', '--region NAME   only this region'],
    async run({ io, client, values, positionals, json }) {
      const view = await client(getClusters, {
        params: { application: positionals[0]! },
        query: { account: values.account as string | undefined, region: values.region as string | undefined },
      });
      const rows = view.accounts.flatMap((a) =>
        a.clusters.flatMap((c) =>
          c.regions.flatMap((r) =>
            r.serverGroups.map((sg) => {
              const up = sg.instances.filter((i) => i.health === 'up').length;
              return [a.account, c.name, r.region, sg.name, `${sg.image.name}:${sg.image.version}`, sg.disabled ? 'disabled' : 'enabled', `${up}/${sg.instances.length} up`];
            }),
          ),
        ),
      );
      print(io, json, view, () =>
        rows.length === 0 ? `${view.application} has no server groups.\n` : table(['ACCOUNT', 'CLUSTER', 'REGION', 'SERVER GROUP', 'IMAGE', 'STATE', 'HEALTH'], rows),
      );
      return EXIT.ok;
    },
  }),
];
