import { deletePipeline, duplicatePipeline, renamePipeline } from '../../shared/api/pipelines';
import { defineCommand } from '../command';
import { EXIT } from '../io';
import { print } from '../output';
import { resolvePipelineId } from './resolve';

export const pipelineManagementCommands = [
  defineCommand({
    words: ['pipeline', 'delete'],
    args: ['PIPELINE'],
    summary: 'Delete a pipeline (refused while it runs or another pipeline runs or watches it); its past executions stay',
    async run({ io, client, positionals, json }) {
      const deleted = await client(deletePipeline, { params: { pipelineId: await resolvePipelineId(client, positionals[0]!) } });
      print(io, json, deleted, () => `Deleted pipeline '${deleted.name}' (${deleted.pipelineId}); its past executions stay readable.\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['pipeline', 'rename'],
    args: ['PIPELINE', 'NEW_NAME'],
    summary: "Rename a pipeline; other pipelines' stages that run it by name follow",
    async run({ io, client, positionals, json }) {
      const result = await client(renamePipeline, { params: { pipelineId: await resolvePipelineId(client, positionals[0]!) }, body: { name: positionals[1]! } });
      const { pipeline, updatedReferences } = result;
      print(io, json, result, () => {
        const followed = updatedReferences.length ? `; now run by name from ${updatedReferences.map((p) => `${p.application}/${p.name}`).join(', ')}` : '';
        return `Renamed to ${pipeline.application}/${pipeline.name} (revision ${pipeline.revision})${followed}\n`;
      });
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['pipeline', 'duplicate'],
    args: ['PIPELINE'],
    summary: 'Copy a pipeline (into --app, default its own) as --name (default "NAME (copy)"); its triggers come over disabled',
    options: { app: { type: 'string' }, name: { type: 'string' } },
    optionHelp: ['--app NAME   the application to copy into (WRITE there, READ on the source)', "--name NAME  the copy's name"],
    async run({ io, client, values, positionals, json }) {
      const body = { ...(values.app ? { application: values.app as string } : {}), ...(values.name !== undefined ? { name: values.name as string } : {}) };
      const result = await client(duplicatePipeline, { params: { pipelineId: await resolvePipelineId(client, positionals[0]!) }, body });
      const { pipeline, webhookSecrets, notCopied } = result;
      print(io, json, result, () =>
        [
          `Copied to ${pipeline.application}/${pipeline.name} (${pipeline.id}); its triggers are disabled until someone with EXECUTE turns them on.`,
          ...webhookSecrets.map((s) => `New webhook secret for trigger ${s.triggerId} (shown only now): ${s.secret}`),
          ...notCopied.map((what) => `Not copied: ${what}`),
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    },
  }),
];
