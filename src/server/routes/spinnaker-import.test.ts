import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import type { ApplicationName } from '../../shared/domain/names';
import { importSpinnakerPipeline } from '../../shared/spinnaker/import';
import { gceBakeDeploy } from '../../shared/spinnaker/test-pipelines';
import { jenkinsManifest } from '../../shared/spinnaker/test-ops-pipelines';
import { openNarrowRoleApp } from '../test-narrow-roles';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let as: Awaited<ReturnType<typeof openNarrowRoleApp>>['as'];

beforeAll(async () => {
  // rita reads; ed edits and runs.
  ({ app, repos, close, as } = await openNarrowRoleApp({ rita: ['READ'], ed: ['WRITE', 'EXECUTE'] }));
}, 60_000);
afterAll(() => close());

const MAP = {
  accounts: { 'gce-prod': 'prod', 'gce-test': 'test', 'aws-prod': 'prod', 'aws-test': 'test' },
  regions: { 'us-central1': 'local-east', 'europe-west1': 'local-west', 'us-east-1': 'local-east' },
};
function draftOf(input: unknown) {
  const result = importSpinnakerPipeline(input, 'web' as ApplicationName, MAP);
  if (!result.ok) throw new Error(result.error);
  return result;
}
const sign = (body: string, key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const fire = (id: string, key: string, body: unknown) => {
  const text = JSON.stringify(body);
  return app.inject({ method: 'POST', url: `/api/pipelines/${id}/webhook`, payload: text, headers: { 'content-type': 'application/json', 'x-kiln-signature': sign(text, key) } });
};

describe('POST /api/applications/:application/spinnaker-import', () => {
  it('converts with the account and region map in the body, names a bake recipe Kiln has, and saves nothing', async () => {
    const before = (await repos.pipelines.listByApplication('web')).length;
    const res = await as('ed', 'POST', '/api/applications/web/spinnaker-import', { pipeline: [gceBakeDeploy, { name: 'not one' }], ...MAP });
    expect(res.statusCode).toBe(200);
    const [first, second] = res.json().results;
    expect(first).toMatchObject({ ok: true, summary: { stages: 7, mapped: 7, placeholders: 0 }, description: expect.stringMatching(/^7 stages: 7 mapped, 0 placeholders/) });
    expect(
      first.draft.stages.filter((s: { type: string }) => s.type === 'deploy').map((s: { config: { account: string; region: string } }) => `${s.config.account}/${s.config.region}`),
    ).toEqual(['prod/local-east', 'test/local-west']);
    expect(first.secrets).toHaveLength(2);
    expect(second).toEqual({ ok: false, error: "pipeline 2: this is not a Spinnaker pipeline: it has no 'stages' list" });
    expect((await repos.pipelines.listByApplication('web')).length).toBe(before);
  });

  it('is refused to someone who may only read the application (403), and a body without a pipeline is a 400 naming it', async () => {
    const read = await as('rita', 'POST', '/api/applications/web/spinnaker-import', { pipeline: gceBakeDeploy });
    expect(read.statusCode).toBe(403);
    const empty = await as('ed', 'POST', '/api/applications/web/spinnaker-import', { accounts: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'bad_request', field: 'pipeline' });
  });

  it('a 10 MB pipeline is turned away before it is read (413)', async () => {
    const huge = JSON.stringify({ pipeline: { name: 'x', stages: [], blob: 'a'.repeat(10 * 1024 * 1024) } });
    const res = await app.inject({ method: 'POST', url: '/api/applications/web/spinnaker-import', payload: huge, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large' });
  });
});

describe('imported Spinnaker pipelines through the API', () => {
  it('a draft with a placeholder saves; starting it is refused (409) naming the placeholder', async () => {
    const saved = await as('ed', 'POST', '/api/applications/web/pipelines', draftOf(jenkinsManifest).draft);
    expect(saved.statusCode, saved.body).toBe(201);
    const run = await as('ed', 'POST', `/api/pipelines/${saved.json().id}/executions`, { parameters: {} });
    expect(run.statusCode).toBe(409);
    expect(run.json()).toMatchObject({
      error: 'conflict',
      field: 'stages',
      message: expect.stringContaining('placeholder stages to replace before it can run: Render chart (bakeManifest)'),
    });
  });

  it('the generated webhook secret is write-only; payload constraints decide which signed deliveries start a run, with the body as trigger.payload', async () => {
    const imported = draftOf(gceBakeDeploy);
    // Bake and deploy need a cloud and recipes; the trigger is what is under test here.
    const draft = { ...imported.draft, name: 'Hooked import', stages: [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 3600 } }] };
    const saved = await as('ed', 'POST', '/api/applications/web/pipelines', draft);
    expect(saved.statusCode).toBe(201);
    const secret = imported.secrets[1]!.secret;
    const read = await as('rita', 'GET', `/api/pipelines/${saved.json().id}`);
    expect(read.body).not.toContain(secret);
    expect(read.json().triggers[2]).toMatchObject({ type: 'webhook', secretSet: true, payloadConstraints: { repository: 'acme/shop', ref: 'refs/heads/master' } });

    const other = await fire(saved.json().id, secret, { repository: 'acme/shop', ref: 'refs/heads/feature-x' });
    expect(other.statusCode).toBe(202);
    expect(other.json()).toEqual({ duplicate: false, ignored: "payload field 'ref' is 'refs/heads/feature-x', which does not match refs/heads/master" });
    expect((await repos.executions.list('web', { limit: 10, pipelineId: saved.json().id })).executions).toEqual([]);

    const push = await fire(saved.json().id, secret, { repository: 'acme/shop', ref: 'refs/heads/master', after: 'abc123' });
    expect(push.statusCode).toBe(202);
    const execution = await repos.executions.get(push.json().executionId);
    expect(execution!.trigger).toMatchObject({ type: 'webhook', user: 'ed', payload: { repository: 'acme/shop', ref: 'refs/heads/master', after: 'abc123' } });
    // A signature with another key is still a 401: constraints are checked only for a proven sender.
    expect((await fire(saved.json().id, 'not-the-secret-at-all-000', { repository: 'acme/shop', ref: 'refs/heads/master' })).statusCode).toBe(401);
  });

  it('the imported git trigger takes a GitHub-signed push of its branch (X-Hub-Signature-256) with the commit and branch for expressions; a ping or another branch starts nothing', async () => {
    const imported = draftOf(gceBakeDeploy);
    const saved = await as('ed', 'POST', '/api/applications/web/pipelines', {
      ...imported.draft,
      name: 'GitHub import',
      stages: [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 3600 } }],
    });
    const id = saved.json().id;
    const github = (body: unknown, event: string, delivery: string) => {
      const text = JSON.stringify(body);
      return app.inject({
        method: 'POST',
        url: `/api/pipelines/${id}/webhook`,
        payload: text,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(text, imported.secrets[0]!.secret), 'x-github-event': event, 'x-github-delivery': delivery },
      });
    };
    expect((await github({ zen: 'Keep it logically awesome.', repository: { full_name: 'acme/shop' }, ref: 'refs/heads/master' }, 'ping', 'd0')).json()).toMatchObject({
      ignored: expect.stringContaining('GitHub ping'),
    });
    expect((await github({ ref: 'refs/heads/dev', after: 'f00', repository: { full_name: 'acme/shop' } }, 'push', 'd1')).json()).toMatchObject({
      ignored: expect.stringContaining("payload field 'ref' is 'refs/heads/dev'"),
    });
    const push = await github({ ref: 'refs/heads/master', after: '9fceb02d0ae598e95dc970b74767f19372d61af8', repository: { full_name: 'acme/shop' } }, 'push', 'd2');
    expect(push.statusCode).toBe(202);
    expect((await repos.executions.get(push.json().executionId))!.trigger).toMatchObject({ commit: '9fceb02d0ae598e95dc970b74767f19372d61af8', branch: 'master' });
    // GitHub's redelivery carries the same delivery id: the first run is answered.
    const again = await github({ ref: 'refs/heads/master', after: '9fceb02d0ae598e95dc970b74767f19372d61af8', repository: { full_name: 'acme/shop' } }, 'push', 'd2');
    expect(again.json()).toMatchObject({ executionId: push.json().executionId, duplicate: true });
  });

  it('a GitLab push is proven by X-Gitlab-Token, a Jenkins notification starts a run only when the build finished, with its build number', async () => {
    const secret = 'gitlab-and-jenkins-secret-0001';
    const saved = await as('ed', 'POST', '/api/applications/web/pipelines', {
      name: 'CI hooks',
      stages: [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 3600 } }],
      concurrency: { limitConcurrent: false },
      triggers: [{ type: 'webhook', secret }],
    });
    const id = saved.json().id;
    const post = (body: unknown, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/api/pipelines/${id}/webhook`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
    const wrong = await post({ ref: 'refs/heads/main' }, { 'x-gitlab-token': 'not-the-token' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'unauthorized', field: 'x-gitlab-token' });
    const gitlab = await post(
      { object_kind: 'push', ref: 'refs/heads/main', checkout_sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', project: { path_with_namespace: 'acme/web' } },
      { 'x-gitlab-token': secret },
    );
    expect((await repos.executions.get(gitlab.json().executionId))!.trigger).toMatchObject({ commit: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', branch: 'main' });
    const started = {
      name: 'web-build',
      build: { number: 57, phase: 'STARTED', status: '', full_url: 'https://ci.acme.com/job/web-build/57/', scm: { commit: 'abc', branch: 'origin/main' } },
    };
    const jenkins = (body: unknown) => {
      const text = JSON.stringify(body);
      return post(body, { 'x-kiln-signature': sign(text, secret) });
    };
    expect((await jenkins(started)).json()).toMatchObject({ ignored: 'Jenkins build phase STARTED: a run starts when the build is finished' });
    const finished = await jenkins({ ...started, build: { ...started.build, phase: 'FINALIZED', status: 'SUCCESS' } });
    expect((await repos.executions.get(finished.json().executionId))!.trigger).toMatchObject({
      buildNumber: 57,
      buildUrl: 'https://ci.acme.com/job/web-build/57/',
      commit: 'abc',
      branch: 'main',
    });
  });

  it('refuses a payload constraint that is not a regular expression (400 naming the field)', async () => {
    const res = await as('ed', 'POST', '/api/applications/web/pipelines', {
      name: 'Bad constraint',
      stages: [],
      triggers: [{ type: 'webhook', secret: 'a-secret-of-at-least-16', payloadConstraints: { ref: '(' } }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', message: expect.stringContaining('regular expression') });
    expect(res.json().field).toMatch(/triggers\[0\]\.payloadConstraints/);
  });
});
