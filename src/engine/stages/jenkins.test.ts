import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { jenkinsStage } from '../../shared/stages/jenkins';
import type { Execution } from '../../shared/domain/execution';
import { useRunningEngine } from '../test-engine';
import { JENKINS_USER, startFakeJenkins, type FakeJenkins } from './fake-jenkins';

const TOKEN = 'jenkins-api-token-never-shown-5f2e';
let jenkins: FakeJenkins;
beforeAll(async () => {
  jenkins = await startFakeJenkins(TOKEN, {
    'shop/build': {
      result: 'SUCCESS',
      console: ['Started by user kiln', 'Building in workspace /var/jenkins/shop', 'Archiving artifacts', 'Finished: SUCCESS'],
      artifacts: { 'out/build.properties': '# written by the build\nversion=1.4.2\ncommit = 9f8e7d6\n', 'out/app.tgz': 'binary' },
    },
    broken: { result: 'FAILURE', console: ['Started by user kiln', 'npm ERR! test failed', 'Finished: FAILURE'] },
    forever: { result: 'SUCCESS', console: ['Started by user kiln', 'still building…'], endless: true },
  });
});
afterAll(() => jenkins.close());

const t = useRunningEngine('ci', (repos) =>
  repos.ciServers.create({ name: 'ci', kind: 'jenkins', url: jenkins.url, username: JENKINS_USER }, TOKEN, { at: new Date().toISOString(), by: 'admin' }),
);
beforeEach(() => {
  jenkins.requests.length = 0;
  jenkins.started.length = 0;
});

async function start(stages: unknown[]): Promise<string> {
  const p = await t.repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: `ci${Math.random()}`, stages }), 'ana');
  return (await t.engine.start(p, { type: 'manual', user: 'ana', parameters: {} })).id;
}

async function until(id: string, done: (e: Execution) => boolean): Promise<Execution> {
  for (let i = 0; i < 300; i += 1) {
    const e = (await t.repos.executions.get(id))!;
    if (done(e)) return e;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the execution never got there');
}
const ended = (id: string) => until(id, (e) => ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status));
const logOf = async (id: string) => (await t.repos.executionLogs.read(id, { limit: 1000 })).map((l) => l.line);

const build = (config: Record<string, unknown>) => ({ refId: 'build', type: 'jenkins', name: 'Build', config: { server: 'ci', pollSec: 1, ...config } });

describe('Jenkins stage', { timeout: 30_000 }, () => {
  it('starts the job with its parameters, streams the console, and hands build, artifacts and properties to later stages', async () => {
    const id = await start([
      build({ job: 'shop/build', parameters: { BRANCH: 'main', BY: '${ trigger.user }' }, propertiesFile: 'out/build.properties' }),
      {
        refId: 'use',
        type: 'evaluateVariables',
        name: 'Use',
        requisiteStageRefIds: ['build'],
        config: { variables: [{ key: 'tag', value: "v${ stages['Build'].outputs.properties.version }-${ stages['Build'].outputs.buildNumber }" }] },
      },
    ]);
    const done = await ended(id);
    expect(done.status, JSON.stringify(done.stages.map((s) => s.error))).toBe('SUCCEEDED');
    expect(jenkins.started).toEqual([{ job: 'shop/build', parameters: { BRANCH: 'main', BY: 'ana' } }]);
    // The folder is a /job/ of its own; the crumb (with its session cookie) went with the POST.
    expect(jenkins.requests).toContain('POST /job/shop/job/build/buildWithParameters');
    const outputs = done.stages[0]!.outputs;
    expect(outputs).toMatchObject({ buildNumber: 42, buildUrl: `${jenkins.url}/job/shop/job/build/42/`, result: 'SUCCESS', properties: { version: '1.4.2', commit: '9f8e7d6' } });
    expect(outputs.artifacts).toEqual([
      { fileName: 'build.properties', relativePath: 'out/build.properties', url: `${jenkins.url}/job/shop/job/build/42/artifact/out/build.properties` },
      { fileName: 'app.tgz', relativePath: 'out/app.tgz', url: `${jenkins.url}/job/shop/job/build/42/artifact/out/app.tgz` },
    ]);
    expect(done.stages[1]!.outputs).toEqual({ tag: 'v1.4.2-42' });
    const log = await logOf(id);
    // Every console line once, in order, although it came in two pieces split mid-line.
    expect(log.filter((l) => !/^(Starting|Queued|Build #)/.test(l))).toEqual([
      'Started by user kiln',
      'Building in workspace /var/jenkins/shop',
      'Archiving artifacts',
      'Finished: SUCCESS',
    ]);
    expect(log).toContain('Build #42 finished: SUCCESS');
    expect(jenkins.requests.filter((r) => r.includes('progressiveText')).length).toBe(2);
  });

  it('fails with the build result and its URL when the build fails', async () => {
    const done = await ended(await start([build({ job: 'broken' })]));
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toMatch(new RegExp(`^Jenkins build broken #\\d+ finished FAILURE: ${jenkins.url}/job/broken/\\d+/$`));
    expect(await logOf(done.id)).toContain('npm ERR! test failed');
  });

  it('fails naming the job and the server when the job does not exist', async () => {
    const done = await ended(await start([build({ job: 'shop/nope' })]));
    expect(done.stages[0]!.error).toBe("Jenkins job 'shop/nope' does not exist on CI server 'ci' (404)");
  });

  it('fails naming the CI server, never the token, when Jenkins refuses the credentials', async () => {
    await t.repos.ciServers.setToken('ci', 'a-stale-token-never-shown', { at: new Date().toISOString(), by: 'admin' });
    const done = await ended(await start([build({ job: 'shop/build' })]));
    expect(done.stages[0]!.error).toBe("CI server 'ci' refused Kiln's credentials (401) for user 'kiln': ask an admin to replace the token");
    const everything = JSON.stringify(done) + (await logOf(done.id)).join('\n');
    expect(everything).not.toContain('never-shown');
    expect(jenkins.started).toEqual([]);
  });

  it('never writes the token into the execution or its log', async () => {
    const done = await ended(await start([build({ job: 'shop/build', propertiesFile: 'out/build.properties' })]));
    expect(done.status).toBe('SUCCEEDED');
    const everything = JSON.stringify(done) + (await logOf(done.id)).join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(Buffer.from(`${JENKINS_USER}:${TOKEN}`).toString('base64'));
  });

  it('refuses a job path that would leave /job/ (the script console is one ../ away)', async () => {
    const done = await ended(await start([build({ job: '${ "../../script" }' })]));
    expect(done.stages[0]!.error).toMatch(/^job '..\/..\/script' is not a Jenkins job path/);
    expect(jenkins.requests).toEqual([]);
    expect(jenkinsStage.config.safeParse({ server: 'ci', job: 'a/../script' }).error?.issues[0]?.message).toMatch(/'\.\.' part/);
  });

  it('fails naming a CI server that does not exist', async () => {
    const done = await ended(await start([build({ server: 'gone', job: 'shop/build' })]));
    expect(done.stages[0]!.error).toBe("CI server 'gone' does not exist (an admin adds it under Settings → CI servers)");
  });

  it('stops the Jenkins build when the execution is canceled', async () => {
    const id = await start([build({ job: 'forever' })]);
    await until(id, (e) => typeof e.stages[0]!.context.buildNumber === 'number');
    await t.engine.cancel(id, 'ana', 'wrong branch');
    const number = (await t.repos.executions.get(id))!.stages[0]!.context.buildNumber;
    expect(jenkins.stopped).toContain(`forever #${String(number)}`);
    expect(await logOf(id)).toContain(`Asked ci to stop build #${String(number)}`);
  });
});
