import { parse as parseYaml } from 'yaml';
import { createPipeline, getPipeline, listPipelines, savePipeline, validatePipelineEndpoint } from '../../shared/api/pipelines';
import { startExecution, getExecution } from '../../shared/api/executions';
import { COMPLETED } from '../../shared/domain/execution';
import { defineCommand } from '../command';
import { CliError, EXIT, usageError } from '../io';
import { print, since, table } from '../output';
import { readInput } from './tools';
import { parameterPairs, resolvePipelineId } from './resolve';

/** JSON or YAML (JSON is YAML, but JSON's own parser gives better messages for JSON). */
function parseDocument(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new CliError(`${file} is not valid JSON or YAML: ${(err as Error).message}`, EXIT.usage);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${file} must hold one pipeline object`, EXIT.usage);
  return value as Record<string, unknown>;
}

export const pipelineCommands = [
  defineCommand({
    words: ['pipeline', 'list'],
    args: ['APP'],
    summary: "An application's pipelines",
    async run({ io, client, positionals, json }) {
      const pipelines = await client(listPipelines, { params: { application: positionals[0]! } });
      print(io, json, pipelines, () =>
        pipelines.length === 0
          ? 'No pipelines.\n'
          : table(
              ['ID', 'NAME', 'STAGES', 'REVISION', 'UPDATED'],
              pipelines.map((p) => [p.id, p.name, p.stages.length, p.revision, `${since(p.updatedAt)} by ${p.updatedBy}`]),
            ),
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['pipeline', 'get'],
    args: ['PIPELINE'],
    summary: 'A pipeline (by id or APP/NAME) as JSON, ready to edit and save back',
    async run({ io, client, positionals }) {
      const pipeline = await client(getPipeline, { params: { pipelineId: await resolvePipelineId(client, positionals[0]!) } });
      io.stdout.write(`${JSON.stringify(pipeline, null, 2)}\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['pipeline', 'validate'],
    args: ['FILE'],
    summary: 'Every problem with a pipeline file (JSON or YAML), each naming the stage and field; exit 1 when any',
    async run({ io, client, positionals, json }) {
      const doc = parseDocument(await readInput(positionals[0], io.stdin), positionals[0]!);
      const result = await client(validatePipelineEndpoint, { body: doc });
      print(io, json, result, () => (result.ok ? 'Valid.\n' : `${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}\n`));
      return result.ok ? EXIT.ok : EXIT.failed;
    },
  }),
  defineCommand({
    words: ['pipeline', 'save'],
    args: ['FILE'],
    summary: 'Create a pipeline from a file, or save a new revision when the file has an id (its revision must be current)',
    options: { app: { type: 'string' } },
    optionHelp: ['--app NAME  the application, when the file does not name one'],
    async run({ io, client, values, positionals, json }) {
      const doc = parseDocument(await readInput(positionals[0], io.stdin), positionals[0]!);
      const { id, revision, updatedAt: _u, updatedBy: _b, ...draft } = doc;
      let saved;
      if (typeof id === 'string') {
        if (typeof revision !== 'number') throw usageError(`${positionals[0]} has an id but no revision: get the pipeline again and edit that`);
        saved = await client(savePipeline, { params: { pipelineId: id }, body: { baseRevision: revision, pipeline: draft } });
      } else {
        const application = (values.app as string | undefined) ?? (typeof draft.application === 'string' ? draft.application : undefined);
        if (!application) throw usageError('the file names no application: add "application" or pass --app');
        saved = await client(createPipeline, { params: { application }, body: draft });
      }
      print(io, json, saved, () => `Saved ${saved.application}/${saved.name} revision ${saved.revision} (${saved.id})\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['pipeline', 'run'],
    args: ['PIPELINE'],
    summary: 'Start a pipeline with parameters; --wait follows it to the end (exit 1 unless it succeeds)',
    options: { param: { type: 'string', short: 'p', multiple: true }, wait: { type: 'boolean', default: false } },
    optionHelp: ['-p, --param NAME=VALUE  a parameter (repeatable)', '--wait                 wait until the execution ends'],
    async run({ io, client, values, positionals, json, sleep }) {
      const pipelineId = await resolvePipelineId(client, positionals[0]!);
      let execution = await client(startExecution, { params: { pipelineId }, body: { parameters: parameterPairs(values.param as string[] | undefined) } });
      if (!json) io.stdout.write(`Started ${execution.pipelineName}: execution ${execution.id} (${execution.status})\n`);
      if (values.wait) {
        while (!COMPLETED.has(execution.status)) {
          await sleep(1000);
          execution = await client(getExecution, { params: { executionId: execution.id } });
        }
        if (!json) io.stdout.write(`Ended ${execution.status}\n`);
      }
      if (json) io.stdout.write(`${JSON.stringify(execution, null, 2)}\n`);
      return !values.wait || execution.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
    },
  }),
];
