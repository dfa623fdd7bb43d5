import { getBake, startBake } from '../../shared/api/bakes';
import { getExecutionLogs } from '../../shared/api/executions';
import type { Bake } from '../../shared/domain/bake';
import { COMPLETED } from '../../shared/domain/execution';
import { defineCommand, type Context } from '../command';
import { EXIT, usageError } from '../io';
import { print } from '../output';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Prints the bake's log lines as they come (the stage's log, as `kiln execution logs -f` reads it) until it ends. */
async function follow({ io, client, json, sleep }: Context, started: Bake): Promise<Bake> {
  let after = 0;
  for (;;) {
    // The status before the lines, so the last lines written before the end are not missed.
    const bake = await client(getBake, { params: { bakeId: started.id } });
    for (;;) {
      const page = await client(getExecutionLogs, { params: { executionId: started.id }, query: { after: String(after), stage: 'bake', limit: '5000' } });
      if (!json) for (const l of page.lines) io.stdout.write(`${l.line}\n`);
      after = page.nextAfter;
      if (page.lines.length < 5000) break;
    }
    if (COMPLETED.has(bake.status)) return bake;
    await sleep(500);
  }
}

export const imageBakeCommands = [
  defineCommand({
    words: ['image', 'bake'],
    args: ['RECIPE'],
    summary: "Bake a recipe's newest revision now, as a run of an application (like `packer build`); --wait prints its live log and the image it made",
    options: { app: { type: 'string' }, push: { type: 'string', multiple: true }, wait: { type: 'boolean', default: false }, rebake: { type: 'boolean', default: false } },
    optionHelp: [
      '--app APP          the application the bake runs for (you need EXECUTE on it)',
      "--push ACCOUNT     also push the baked version to this account's registry (repeatable; EXECUTE on it)",
      '--rebake           build even when identical inputs already made a version',
      '--wait             print the live log; exit 0 once baked (printing name:vN and digest), 1 if it failed',
    ],
    async run(ctx) {
      const { io, client, values, positionals, json, target } = ctx;
      const recipe = positionals[0]!;
      const app = values.app as string | undefined;
      if (!app) throw usageError('--app is required: the application the bake runs for (its EXECUTE permission is what baking needs)');
      const push = (values.push as string[] | undefined) ?? [];
      const started = await client(startBake, { params: { application: app, recipe }, body: { push, rebake: values.rebake === true } });
      const url = new URL(started.url, target.url).toString();
      if (!values.wait) {
        print(io, json, started, () => `Baking ${recipe} for ${app}: bake ${started.id}\n${url}\nFollow its log with: kiln execution logs ${started.id} -f\n`);
        return EXIT.ok;
      }
      if (!json) io.stdout.write(`Baking ${recipe} for ${app}: bake ${started.id}\n${url}\n`);
      const done = await follow(ctx, started);
      if (done.status === 'SUCCEEDED' && done.image) {
        const i = done.image;
        print(io, json, done, () => `Baked ${i.ref} ${i.digest} (${mb(i.sizeBytes)}${i.cached ? ', unchanged inputs: the existing version' : ''})\n`);
        return EXIT.ok;
      }
      if (json) io.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
      io.stderr.write(`kiln: bake ${done.id} ended ${done.status}: ${done.error ?? 'no reason given'}\n`);
      return EXIT.failed;
    },
  }),
];
