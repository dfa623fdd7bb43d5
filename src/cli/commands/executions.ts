import { cancelExecution, getExecution, getExecutionLogs, judgeStage, listAllExecutions, listExecutions, pauseExecution, resumeExecution } from '../../shared/api/executions';
import { COMPLETED, type Execution } from '../../shared/domain/execution';
import { defineCommand } from '../command';
import { EXIT, usageError } from '../io';
import { duration, print, since, table } from '../output';
import { resolvePipelineId } from './resolve';

function describe(e: Execution): string {
  const lines = [
    `${e.pipelineName} (${e.application})  execution ${e.id}`,
    `status ${e.status}, triggered ${since(e.createdAt)} by ${e.trigger.user} (${e.trigger.type})${Object.keys(e.trigger.parameters).length ? `, parameters ${JSON.stringify(e.trigger.parameters)}` : ''}`,
  ];
  if (e.canceledBy) lines.push(`canceled by ${e.canceledBy}: ${e.cancelReason ?? ''}`);
  if (e.paused && e.status === 'PAUSED') lines.push(`paused by ${e.paused.by}${e.paused.reason ? `: ${e.paused.reason}` : ''}`);
  lines.push(
    '',
    table(
      ['STAGE', 'REF', 'TYPE', 'STATUS', 'DURATION', 'DETAIL'],
      e.stages.map((s) => [s.name, s.refId, s.type, s.status, duration(s.startedAt, s.endedAt), s.error ?? '']),
    ),
  );
  return `${lines.join('\n')}`;
}

export const executionCommands = [
  defineCommand({
    words: ['execution', 'list'],
    args: ['APP?'],
    summary: "Executions, newest first: one application's, or all (e.g. --status RUNNING,PAUSED,SUSPENDED for what runs now)",
    options: { status: { type: 'string' }, pipeline: { type: 'string' }, limit: { type: 'string' } },
    optionHelp: ['--status S[,S…]    only these statuses', '--pipeline P       a pipeline id or APP/NAME', '--limit N          at most N (default 25, max 200)'],
    async run({ io, client, values, positionals, json }) {
      const app = positionals[0];
      const pipeline = values.pipeline ? await resolvePipelineId(client, values.pipeline as string) : undefined;
      const query = { status: values.status as string | undefined, pipeline, limit: values.limit as string | undefined };
      const page = app ? await client(listExecutions, { params: { application: app }, query }) : await client(listAllExecutions, { query });
      print(io, json, page, () =>
        page.executions.length === 0
          ? 'No executions.\n'
          : table(
              ['ID', 'APPLICATION', 'PIPELINE', 'STATUS', 'STARTED', 'DURATION', 'BY'],
              page.executions.map((e) => [e.id, e.application, e.pipelineName, e.status, since(e.createdAt), duration(e.startedAt, e.endedAt), e.trigger.user]),
            ),
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['execution', 'get'],
    args: ['ID'],
    summary: 'One execution with its stages, durations and errors',
    async run({ io, client, positionals, json }) {
      const e = await client(getExecution, { params: { executionId: positionals[0]! } });
      print(io, json, e, () => describe(e));
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['execution', 'logs'],
    args: ['ID'],
    summary: 'Job log lines of an execution; --follow prints new lines until the execution ends',
    options: { stage: { type: 'string' }, follow: { type: 'boolean', short: 'f', default: false } },
    optionHelp: ["--stage REF     only this stage's lines", '-f, --follow    keep printing until the execution ends'],
    async run({ io, client, values, positionals, json, sleep }) {
      const executionId = positionals[0]!;
      let after = 0;
      for (;;) {
        // Read the status before the lines, so the last lines written before the end are not missed.
        const status = values.follow ? (await client(getExecution, { params: { executionId } })).status : undefined;
        for (;;) {
          const page = await client(getExecutionLogs, { params: { executionId }, query: { after: String(after), stage: values.stage as string | undefined, limit: '5000' } });
          for (const l of page.lines) io.stdout.write(json ? `${JSON.stringify(l)}\n` : `${l.line}\n`);
          after = page.nextAfter;
          if (page.lines.length < 5000) break;
        }
        if (!values.follow || (status && COMPLETED.has(status))) return EXIT.ok;
        await sleep(500);
      }
    },
  }),
  defineCommand({
    words: ['execution', 'cancel'],
    args: ['ID'],
    summary: 'Cancel an execution, with the reason recorded (running jobs are stopped)',
    options: { reason: { type: 'string' } },
    optionHelp: ['--reason TEXT  why (required)'],
    async run({ io, client, values, positionals, json }) {
      if (!values.reason) throw usageError('--reason is required: say why, it is recorded');
      const e = await client(cancelExecution, { params: { executionId: positionals[0]! }, body: { reason: values.reason as string } });
      print(io, json, e, () => `Canceled ${e.pipelineName} execution ${e.id}\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['execution', 'pause'],
    args: ['ID'],
    summary: 'Pause a running execution (no stage starts or advances until resumed)',
    options: { reason: { type: 'string' } },
    optionHelp: ['--reason TEXT  why (recorded)'],
    async run({ io, client, values, positionals, json }) {
      const e = await client(pauseExecution, { params: { executionId: positionals[0]! }, body: values.reason ? { reason: values.reason as string } : {} });
      print(io, json, e, () => `Paused ${e.pipelineName} execution ${e.id}\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['execution', 'resume'],
    args: ['ID'],
    summary: 'Resume a paused execution',
    async run({ io, client, positionals, json }) {
      const e = await client(resumeExecution, { params: { executionId: positionals[0]! }, body: {} });
      print(io, json, e, () => `Resumed ${e.pipelineName} execution ${e.id}\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['execution', 'judge'],
    args: ['ID', 'STAGE'],
    summary: 'Approve or reject a waiting manual judgment (a rejection needs --comment)',
    options: { approve: { type: 'boolean', default: false }, reject: { type: 'boolean', default: false }, comment: { type: 'string' }, input: { type: 'string' } },
    optionHelp: [
      '--approve | --reject  the decision (exactly one)',
      '--comment TEXT       recorded with it (required to reject)',
      "--input OPTION        one of the stage's input options",
    ],
    async run({ io, client, values, positionals, json }) {
      if (values.approve === values.reject) throw usageError('give exactly one of --approve or --reject');
      const body = {
        decision: values.approve ? ('approve' as const) : ('reject' as const),
        ...(values.comment ? { comment: values.comment as string } : {}),
        ...(values.input ? { input: values.input as string } : {}),
      };
      const e = await client(judgeStage, { params: { executionId: positionals[0]!, refId: positionals[1]! }, body });
      print(io, json, e, () => `${body.decision === 'approve' ? 'Approved' : 'Rejected'} stage ${positionals[1]} of execution ${e.id}\n`);
      return EXIT.ok;
    },
  }),
];
