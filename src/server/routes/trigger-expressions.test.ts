import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { openNarrowRoleApp } from '../test-narrow-roles';

// Trigger fields are matched before any run exists, so a `${ … }` in one could only ever match text
// that spells it: saving one is refused, naming the field. ed may edit and run pipelines of `web`.
let close: () => Promise<void>;
let as: Awaited<ReturnType<typeof openNarrowRoleApp>>['as'];
let app: FastifyInstance;
let repos: Repositories;

beforeAll(async () => {
  ({ close, as, app, repos } = await openNarrowRoleApp({ ed: ['WRITE', 'EXECUTE'] }));
}, 60_000);
afterAll(() => close());

const stages = [{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 3600 } }];
const SECRET = 'a-webhook-secret-of-32-characters';
let counter = 0;
const save = (trigger: Record<string, unknown>) => {
  counter += 1;
  return as('ed', 'POST', '/api/applications/web/pipelines', { name: `Triggered ${counter}`, stages, triggers: [{ type: 'manual' }, trigger] });
};

const LITERALLY = 'is matched literally';
const AS_REGEX = 'is a regular expression matched as written';
const cases: Array<[string, Record<string, unknown>, string, string]> = [
  ['registry image', { type: 'registry', image: '${ parameters.image }' }, 'triggers[1].image', LITERALLY],
  ['registry channel', { type: 'registry', image: 'shop', channel: '${ parameters.env }' }, 'triggers[1].channel', LITERALLY],
  ['registry versionRegex', { type: 'registry', image: 'shop', versionRegex: 'v${ parameters.major }.*' }, 'triggers[1].versionRegex', AS_REGEX],
  [
    'webhook payload constraint',
    { type: 'webhook', secret: SECRET, payloadConstraints: { ref: 'refs/heads/${ parameters.branch }' } },
    'triggers[1].payloadConstraints.ref',
    AS_REGEX,
  ],
  [
    'webhook payload constraint field',
    { type: 'webhook', secret: SECRET, payloadConstraints: { '${ parameters.field }': 'main' } },
    'triggers[1].payloadConstraints.${ parameters.field }',
    LITERALLY,
  ],
  ['pipeline trigger pipeline', { type: 'pipeline', application: 'web', pipeline: '${ trigger.payload.upstream }' }, 'triggers[1].pipeline', LITERALLY],
  ['cron expression', { type: 'cron', expression: '${ parameters.schedule }' }, 'triggers[1].expression', 'is a cron schedule read as written'],
  ['cron timezone', { type: 'cron', expression: '0 * * * *', timezone: '${ parameters.tz }' }, 'triggers[1].timezone', 'is a time zone name read as written'],
];

describe('expressions in trigger fields', () => {
  it.each(cases)('refuses ${ … } in a %s with a 400 naming the field and saying how it is matched', async (_what, trigger, field, how) => {
    const res = await save(trigger);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ error: 'bad_request', field });
    expect(body.message).toContain(how);
    expect(body.message).toContain('not evaluated');
    // Only the one problem: the schema's own complaint about the same field (a cron that does not parse) is not said twice.
    expect(body.details.problems.map((p: { path: string }) => p.path)).toEqual([field]);
  });

  it("refuses it when an existing pipeline is saved with one, and the editor's validation says the same", async () => {
    const created = await save({ type: 'registry', image: 'shop' });
    expect(created.statusCode).toBe(201);
    const pipeline = created.json();
    const edited = { ...pipeline, triggers: [pipeline.triggers[0], { ...pipeline.triggers[1], versionRegex: '${ parameters.pattern }' }] };
    const res = await as('ed', 'PUT', `/api/pipelines/${pipeline.id}`, { baseRevision: pipeline.revision, pipeline: edited });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'triggers[1].versionRegex' });
    const check = await as('ed', 'POST', '/api/pipelines:validate', edited);
    expect(check.json()).toMatchObject({ ok: false, problems: [expect.objectContaining({ path: 'triggers[1].versionRegex' })] });
  });

  it('keeps a webhook secret as written even with ${ in it, and stages read the trigger as before', async () => {
    const res = await as('ed', 'POST', '/api/applications/web/pipelines', {
      name: 'Reads the trigger',
      stages: [{ refId: 'v', type: 'evaluateVariables', name: 'Ref', config: { variables: [{ key: 'ref', value: '${ trigger.payload.ref }' }] } }],
      triggers: [{ type: 'webhook', secret: 'random-${-secret-0123456789', payloadConstraints: { ref: 'refs/heads/main' } }],
    });
    expect(res.statusCode).toBe(201);
  });

  it('answers a webhook for a trigger stored with ${ in a constraint (before such fields were refused) with a 409 naming the field, instead of never matching', async () => {
    const created = await as('ed', 'POST', '/api/applications/web/pipelines', {
      name: 'Stored before the rule',
      stages,
      triggers: [{ type: 'webhook', secret: SECRET, payloadConstraints: { ref: 'refs/heads/main' } }],
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    // What an older Kiln saved: the repository takes it, only validatePipeline refuses it.
    const stored = (await repos.pipelines.get(id))!;
    const trigger = { ...stored.triggers[0]!, payloadConstraints: { ref: 'refs/heads/${ parameters.branch }' } };
    await repos.pipelines.save(id, stored.revision, { ...stored, triggers: [trigger] }, 'ed');

    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const fire = (key: string) =>
      app.inject({
        method: 'POST',
        url: `/api/pipelines/${id}/webhook`,
        payload: body,
        headers: { 'content-type': 'application/json', 'x-kiln-signature': `sha256=${createHmac('sha256', key).update(body).digest('hex')}` },
      });
    const res = await fire(SECRET);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: 'conflict',
      field: 'triggers[0].payloadConstraints.ref',
      message: expect.stringContaining('cannot match any payload until the pipeline is edited'),
    });
    // Only the one who holds the secret learns which field: anyone else is refused as before.
    const stranger = await fire('not-the-secret-of-this-pipeline-x');
    expect(stranger.statusCode).toBe(401);
    expect(stranger.body).not.toContain('payloadConstraints');
    // The editor's validation of the stored pipeline names the same field.
    const check = await as('ed', 'POST', '/api/pipelines:validate', (await as('ed', 'GET', `/api/pipelines/${id}`)).json());
    expect(check.json()).toMatchObject({ ok: false, problems: [expect.objectContaining({ path: 'triggers[0].payloadConstraints.ref' })] });
  });
});
