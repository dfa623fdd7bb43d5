import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import type { TriggerRecord } from '../../shared/domain/execution';
import type { Grant } from '../../shared/domain/user';
import { validatePipeline } from '../../shared/domain/pipeline-validate';
import { startFakeDockerEngine } from '../cloud/fake-docker-engine';
import type { CloudProvider, ContainerJobs } from '../cloud/provider';
import { createProviders } from '../cloud/providers';
import { MANUAL, useEngineTest } from '../test-engine';

// Who may run a job on a container account, checked like a deploy; no container engine needed:
// the account's provider is a recorder (run-container-job-podman.test.ts runs real containers).
const t = useEngineTest();
let engineApi: Awaited<ReturnType<typeof startFakeDockerEngine>> | undefined;
beforeEach(async () => {
  engineApi = await startFakeDockerEngine();
  await t.repos.accounts.upsert(
    Account.parse({ name: 'lab', provider: 'docker', environment: 'dev', regions: ['east'], demo: false, endpoint: { dockerHost: engineApi.dockerHost } }),
  );
});
afterEach(async () => {
  await engineApi?.close();
  engineApi = undefined;
});

async function personWith(name: string, grants: Grant[]) {
  await t.repos.users.saveRole({ name: `${name}-role`, description: '', members: [], grants });
  await t.repos.users.create({ name, displayName: name, passwordHash: '!', admin: false, createdAt: '2026-11-01T00:00:00.000Z' });
  await t.repos.users.update(name, { roles: [`${name}-role`] });
}
const webExecute: Grant = { resourceType: 'application', resource: 'web', permission: 'EXECUTE' };
const manualBy = (user: string): TriggerRecord => ({ type: 'manual', user, parameters: {} });
const job = (config: Record<string, unknown> = {}) => ({
  refId: 'j',
  type: 'runJob',
  name: 'Smoke test',
  config: { account: 'lab', image: 'debian:12', command: 'echo hi', ...config },
});

/** Providers whose docker account records what its jobs were asked to do. */
function recordingCloud() {
  const asked: string[] = [];
  const jobs: ContainerJobs = {
    start: async (spec) => (asked.push(`start ${spec.image}: ${spec.command}`), 'c0ffee0000000000'),
    find: async () => undefined,
    state: async () => ({ running: true, startedAt: new Date().toISOString() }),
    drained: async () => {},
    remove: async (id) => void asked.push(`remove ${id}`),
  };
  const cloud = createProviders(t.repos, undefined, {
    docker: () => {
      asked.push('provider');
      return Object.assign({ kind: 'docker', jobs } as CloudProvider, { close: async () => {} });
    },
  });
  return { asked, cloud };
}

/**
 * One job's container as two Kiln processes see it through their own providers, running until the
 * test ends it; a test may hold up a process's next `state` or `drained` (a process stalled there).
 */
function jobContainer() {
  let exited = false;
  let gone = false;
  const hooks = new Map<string, () => Promise<void>>();
  const hook = async (key: string) => {
    const h = hooks.get(key);
    hooks.delete(key);
    await h?.();
  };
  const jobs = (who: string): ContainerJobs => ({
    start: async () => 'c0ffee0000000000',
    find: async () => undefined,
    state: async () => {
      await hook(`${who} state`);
      if (gone) return undefined;
      return exited ? { running: false, exitCode: 0, oomKilled: false } : { running: true, startedAt: '2026-11-23T10:00:00.000Z' };
    },
    drained: () => hook(`${who} drained`),
    remove: async () => void (gone = true),
  });
  return {
    cloud: (who: string) => createProviders(t.repos, undefined, { docker: () => Object.assign({ kind: 'docker', jobs: jobs(who) } as CloudProvider, { close: async () => {} }) }),
    onState: (who: string, fn: () => Promise<void>) => void hooks.set(`${who} state`, fn),
    onDrained: (who: string, fn: () => Promise<void>) => void hooks.set(`${who} drained`, fn),
    exit: () => void (exited = true),
    removed: () => gone,
  };
}

async function runOnce(stages: unknown[], trigger: TriggerRecord, cloud = recordingCloud()) {
  const e = t.engine({ cloud: cloud.cloud });
  const { id } = await e.start(await t.pipeline(stages), trigger);
  await e.tick();
  return { run: (await t.repos.executions.get(id))!, engine: e, asked: cloud.asked };
}

describe('a run-job stage on a container account', () => {
  it("fails before touching the account when the run's person lacks EXECUTE on it, and runs for one who has it", async () => {
    await personWith('dev', [webExecute, { resourceType: 'account', resource: 'prod', permission: 'EXECUTE' }]);
    const refused = await runOnce([job()], manualBy('dev'));
    expect(refused.run.status).toBe('TERMINAL');
    expect(refused.run.stages[0]!.error).toBe(
      "dev lacks EXECUTE permission on application 'web' and account 'lab', which running a job on account 'lab' needs; this run acts for dev.",
    );
    expect(refused.asked).toEqual([]);

    await personWith('ops', [webExecute, { resourceType: 'account', resource: 'lab', permission: 'EXECUTE' }]);
    const ran = await runOnce([job()], manualBy('ops'));
    expect(ran.run.stages[0]!.status).toBe('RUNNING');
    expect(ran.asked).toEqual(['provider', 'start debian:12: echo hi']);
  });

  it('is refused by a person with EXECUTE on the account but not on the application', async () => {
    await personWith('infra', [
      { resourceType: 'account', resource: 'lab', permission: 'EXECUTE' },
      { resourceType: 'application', resource: 'web', permission: 'READ' },
    ]);
    const refused = await runOnce([job()], manualBy('infra'));
    expect(refused.run.stages[0]!.error).toMatch(/^infra lacks EXECUTE permission on application 'web' and account 'lab'/);
    expect(refused.asked).toEqual([]);
  });

  it('fails at once, naming the account, when its engine does not answer', async () => {
    await engineApi!.close();
    engineApi = undefined;
    const { run, asked } = await runOnce([job()], MANUAL);
    expect(run.stages[0]!.error).toMatch(/^account 'lab' is unreachable/);
    expect(asked).toEqual([]);
  });

  it('kills and removes its container when the run is canceled', async () => {
    const { run, engine, asked } = await runOnce([job({ command: 'sleep 600' })], MANUAL);
    expect(run.stages[0]!.context.containerId).toBe('c0ffee0000000000');
    await engine.cancel(run.id, 'ana', 'enough');
    expect(asked.at(-1)).toBe('remove c0ffee0000000000');
  });

  it('keeps the exit code of a job whose Kiln stalled past its lease while reading it: the Kiln taking over still finishes the stage', async () => {
    const c = jobContainer();
    // A's lease outlasts the test (so it is never renewed meanwhile); the clock is moved past it by hand: A stalled.
    const a = t.engine({ owner: 'kiln-a', leaseMs: 3_600_000, cloud: c.cloud('kiln-a') });
    const b = t.engine({ owner: 'kiln-b', cloud: c.cloud('kiln-b') });
    const { id } = await a.start(await t.pipeline([job()]), MANUAL);
    await a.tick();
    c.exit();
    let bTick: Promise<number> | undefined;
    let aTick: Promise<number> | undefined;
    const bAsked = new Promise<void>((resolve) => {
      // A has read the exit and waits for the log's end; its lease runs out meanwhile and B takes the run over.
      c.onDrained('kiln-a', async () => {
        t.later(2 * 3600);
        bTick = b.tick();
        await bAsked;
      });
      // B looks at the container once A's advance is over: the order that lost the outcome (A had removed it by then).
      c.onState('kiln-b', async () => {
        resolve();
        await aTick;
      });
    });
    t.later(1);
    aTick = a.tick();
    await aTick;
    await bTick;
    const run = (await t.repos.executions.get(id))!;
    expect(run.stages[0]!.error).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.stages[0]!.outputs).toMatchObject({ exitCode: 0 });
    expect(c.removed()).toBe(true);
  });

  it('refuses a config with an account but no image, or an image but no account, naming the field', () => {
    const problems = (config: Record<string, unknown>) => {
      const v = validatePipeline({ application: 'web', name: 'p', stages: [{ refId: 'j', type: 'runJob', name: 'J', config }] });
      return v.ok ? [] : v.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(problems({ command: 'echo', account: 'lab' })).toEqual(['stages[0].config.image: Image: a job on a container account needs an image']);
    expect(problems({ command: 'echo', image: 'debian:12' })).toEqual(['stages[0].config.account: Account: an image needs an account to run on (a docker account)']);
    expect(problems({ command: 'echo', account: 'lab', image: 'debian:12' })).toEqual([]);
    expect(problems({ command: 'echo' })).toEqual([]);
  });
});
