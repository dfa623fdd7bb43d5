import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../db/test-database';
import type { Repositories } from '../../db/types';
import { Account } from '../../shared/domain/account';
import type { Execution } from '../../shared/domain/execution';
import type { Grant } from '../../shared/domain/user';
import { type FakeApiServer, startFakeApiServer } from '../../engine/cloud/kubernetes/fake-api-server';
import { knownImages } from '../../engine/cloud/kubernetes/kubernetes-harness';
import { createKubernetesProvider } from '../../engine/cloud/kubernetes/kubernetes-provider';
import { SAMPLE_IMAGES, testKubeConfigText } from '../../engine/cloud/kubernetes/test-images';
import { createProviders } from '../../engine/cloud/providers';
import { until } from '../../engine/cloud/test-cloud';
import { createEventBus, createEngine, type Engine } from '../../engine/index';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { asTestAdmin } from '../test-app';
import { seedWorld } from '../test-fixtures';

// Who may run a job on a kubernetes account, through the API: EXECUTE on the application and on the account.
let app: FastifyInstance;
let repos: Repositories;
let api: FakeApiServer;
let engine: Engine;
let closeDb: () => Promise<void>;

async function person(name: string, grants: Grant[]): Promise<Record<string, string>> {
  await repos.users.create({ name, displayName: name, passwordHash: '!', admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants });
  return { authorization: `Bearer ${(await createToken(repos, name, 'test', new Date())).secret}` };
}
const onWeb: Grant[] = (['READ', 'WRITE', 'EXECUTE'] as const).map((permission) => ({ resourceType: 'application', resource: 'web', permission }));

beforeAll(async () => {
  const opened = await openTestDatabase();
  repos = opened.repos;
  closeDb = opened.close;
  await seedWorld(repos);
  api = await startFakeApiServer({ images: SAMPLE_IMAGES, tokens: { good: { name: 'kiln', namespaces: ['east'] } } });
  await repos.accounts.upsert(Account.parse({ name: 'k8s', provider: 'kubernetes', environment: 'test', regions: ['east'], demo: false, endpoint: { registry: 'registry.test' } }));
  await repos.accounts.setCredentials('k8s', { kubeconfig: testKubeConfigText(api.url, 'good') }, { at: new Date().toISOString(), by: 'test' });
  const cloud = createProviders(repos, undefined, {
    kubernetes: (account, credentials) => createKubernetesProvider({ repos, account, credentials, images: knownImages('sample-app'), pollMs: 100 }),
  });
  engine = createEngine({ repos, events: createEventBus(repos), cloud, tickMs: 100, jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-api-')) });
  engine.run();
  app = await buildApp({ db: opened.db, repos, version: '0.0.0-test', engine });
  await asTestAdmin(app, repos);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await api?.close();
  await closeDb?.();
});

const runJob = {
  name: 'Migrate',
  stages: [{ refId: 's', type: 'runJob', name: 'Migrate', config: { account: 'k8s', image: 'registry.test/say-done:v1', command: 'echo migrated' } }],
};
const finished = (id: string) =>
  until(
    `execution ${id} to finish`,
    async () => {
      const e = await repos.executions.get(id);
      return e && !['RUNNING', 'NOT_STARTED'].includes(e.status) && e;
    },
    60_000,
  );

describe('run-job stages on a kubernetes account, through the API', { timeout: 120_000 }, () => {
  it('refuses a run by someone without EXECUTE on the account before any Job exists, and runs it for someone with it', async () => {
    const dev = await person('dev', [...onWeb, { resourceType: 'account', resource: 'k8s', permission: 'READ' }]);
    const saved = await app.inject({ method: 'POST', url: '/api/applications/web/pipelines', payload: runJob, headers: dev });
    expect(saved.statusCode, saved.body).toBe(201);
    const pipeline = saved.json<{ id: string }>().id;

    const started = await app.inject({ method: 'POST', url: `/api/pipelines/${pipeline}/executions`, payload: {}, headers: dev });
    expect(started.statusCode, started.body).toBe(201);
    const refused: Execution = await finished(started.json<{ id: string }>().id);
    expect(refused.status).toBe('TERMINAL');
    expect(refused.stages[0]!.error).toBe(
      "dev lacks EXECUTE permission on application 'web' and account 'k8s', which running a job on account 'k8s' needs; this run acts for dev.",
    );
    expect(api.requests.filter((r) => /jobs/.test(r))).toEqual([]);

    const ops = await person('ops', [...onWeb, { resourceType: 'account', resource: 'k8s', permission: 'EXECUTE' }]);
    const ran = await app.inject({ method: 'POST', url: `/api/pipelines/${pipeline}/executions`, payload: {}, headers: ops });
    expect(ran.statusCode, ran.body).toBe(201);
    const done: Execution = await finished(ran.json<{ id: string }>().id);
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(api.requests.filter((r) => r.startsWith('POST /apis/batch/v1/namespaces/east/jobs'))).toHaveLength(1);
  });
});
