import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
beforeAll(async () => ({ app, close } = await openTestApp()));
afterAll(() => close());

const save = (name: string, parameters: unknown[], config: Record<string, unknown>) =>
  app.inject({
    method: 'POST',
    url: '/api/applications/web/pipelines',
    payload: {
      name,
      parameters,
      stages: [{ refId: 'd', type: 'deploy', name: 'Deploy', config: { account: 'prod', region: 'east', image: 'sample-app:v1', ...config } }],
    },
  });

describe('expressions in number and enum fields, checked when the pipeline is saved', () => {
  it('takes expressions whose value is only known at run time, or whose known values fit the field', async () => {
    const res = await save('Sized', [{ name: 'count' }, { name: 'how', default: 'redblack', options: ['redblack', 'highlander'] }], {
      capacity: { min: 1, desired: '${ parameters.count }', max: 4 },
      strategy: '${ parameters.how }',
      region: '${ trigger.payload.region }',
      maxRemainingAsgs: '${ toInt(parameters.count) }',
    });
    expect(res.statusCode).toBe(201);
    // Kept as written: evaluated when the stage runs.
    expect(res.json().stages[0].config).toMatchObject({ capacity: { desired: '${ parameters.count }' }, strategy: '${ parameters.how }' });
  });

  it("answers 400 naming the field when a parameter's default gives a value the field does not take", async () => {
    const res = await save('Too big', [{ name: 'count', default: '9' }], { capacity: { min: 1, desired: '${ parameters.count }', max: 4 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'bad_request',
      field: 'stages[0].config.capacity.desired',
      message: "Stage 'Deploy': ${ parameters.count } gives 9 when parameter count is '9', which capacity.desired does not take: Desired: capacity: desired is above max",
    });
  });

  it('answers 400 naming the field and the choice when one of the options is not a strategy', async () => {
    const res = await save('Sideways', [{ name: 'how', default: 'redblack', options: ['redblack', 'sideways'] }], { strategy: '${ parameters.how }' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('stages[0].config.strategy');
    expect(res.json().message).toContain("gives 'sideways' when parameter how is 'sideways'");
    expect(res.json().message).toContain('Strategy must be one of redblack, rollingredblack, canary, highlander, none');
  });

  it('answers 400 for an expression that does not parse, or reads a parameter the pipeline does not declare', async () => {
    const broken = await save('Broken', [], { capacity: { min: 1, desired: '${ parameters.count ? }', max: 4 } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().field).toBe('stages[0].config.capacity.desired');
    expect(broken.json().message).toContain('does not parse');
    const unknown = await save('Unknown', [], { account: '${ parameters.where }' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'stages[0].config.account', message: expect.stringContaining('parameters.where does not exist') });
  });

  it('keeps lists and switches as written: who may judge cannot be an expression', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/applications/web/pipelines',
      payload: { name: 'Judge', stages: [{ refId: 'j', type: 'manualJudgment', name: 'Go?', config: { instructions: 'ok?', allowedRoles: '${ parameters.roles }' } }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('stages[0].config.allowedRoles');
  });
});
