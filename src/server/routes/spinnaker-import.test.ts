import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import type { ApplicationName } from '../../shared/domain/names';
import { importSpinnakerPipeline } from '../../shared/spinnaker/import';
import { awsFindImageClone, gceBakeDeploy } from '../../shared/spinnaker/test-pipelines';
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

const MAP = { accounts: { 'gce-prod': 'prod', 'gce-test': 'test', 'aws-prod': 'prod', 'aws-test': 'test' }, regions: { 'us-central1': 'local-east', 'europe-west1': 'local-west', 'us-east-1': 'local-east' } };
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
    expect(first.draft.stages.filter((s: { type: string }) => s.type === 'deploy').map((s: { config: { account: string; region: string } }) => `${s.config.account}/${s.config.region}`)).toEqual(['prod/local-east', 'test/local-west']);
    expect(first.secrets).toHaveLength(1);
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
    const saved = await as('ed', 'POST', '/api/applications/web/pipelines', draftOf(awsFindImageClone).draft);
    expect(saved.statusCode).toBe(201);
    const run = await as('ed', 'POST', `/api/pipelines/${saved.json().id}/executions`, { parameters: {} });
    expect(run.statusCode).toBe(409);
    expect(run.json()).toMatchObject({ error: 'conflict', field: 'stages', message: expect.stringContaining('placeholder stages to replace before it can run: Mark staged (upsertImageTags)') });
  });

  it('the generated webhook secret is write-only; payload constraints decide which signed deliveries start a run, with the body as trigger.payload', async () => {
    const imported = draftOf(gceBakeDeploy);
    // Bake and deploy need a cloud and recipes; the trigger is what is under test here.
    const draft = { ...imported.draft, name: 'Hooked import', stages: [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 3600 } }] };
    const saved = await as('ed', 'POST', '/api/applications/web/pipelines', draft);
    expect(saved.statusCode).toBe(201);
    const secret = imported.secrets[0]!.secret;
    const read = await as('rita', 'GET', `/api/pipelines/${saved.json().id}`);
    expect(read.body).not.toContain(secret);
    expect(read.json().triggers[1]).toMatchObject({ type: 'webhook', secretSet: true, payloadConstraints: { repository: 'acme/shop', ref: 'refs/heads/master' } });

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

  it('refuses a payload constraint that is not a regular expression (400 naming the field)', async () => {
    const res = await as('ed', 'POST', '/api/applications/web/pipelines', { name: 'Bad constraint', stages: [], triggers: [{ type: 'webhook', secret: 'a-secret-of-at-least-16', payloadConstraints: { ref: '(' } }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', message: expect.stringContaining('regular expression') });
    expect(res.json().field).toMatch(/triggers\[0\]\.payloadConstraints/);
  });
});
