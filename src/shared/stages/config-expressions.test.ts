import { describe, expect, it } from 'vitest';
import { deployStage } from './deploy';
import { scaleDownClusterStage } from './scale-down-cluster';
import { checkExpressionFields, resolveConfig } from './config-expressions';

const deploy = { account: 'prod', region: 'east', image: 'sample-app:v1' };
const scope = (parameters: Record<string, string>) => ({ parameters, stages: {}, trigger: {}, execution: {} });

describe('expressions in number and enum fields', () => {
  it('takes "3" from a parameter as the number 3 where the field wants a number', () => {
    const r = resolveConfig(deployStage.config, { ...deploy, capacity: { min: 1, desired: '${ parameters.n }', max: 4 } }, scope({ n: '3' }));
    expect(r.ok && r.data.capacity).toEqual({ min: 1, desired: 3, max: 4 });
  });

  it('never evaluates what an expression gave: a parameter holding "${ … }" stays text, and the field refuses it', () => {
    const r = resolveConfig(deployStage.config, { ...deploy, account: '${ parameters.where }' }, scope({ where: '${ parameters.secret }', secret: 'prod' }));
    expect(r).toMatchObject({ ok: false, field: 'account', error: expect.stringContaining("${ parameters.where } gave '${ parameters.secret }'") });
  });

  it('fails naming the field when the expression itself fails', () => {
    const r = resolveConfig(deployStage.config, { ...deploy, strategy: '${ parameters.how }' }, scope({}));
    expect(r).toMatchObject({ ok: false, field: 'strategy', error: expect.stringContaining('parameters.how does not exist') });
  });

  it('leaves switches alone: a yes/no field is not an expression field, so its issue stays a problem', () => {
    const checked = checkExpressionFields(scaleDownClusterStage.config, { account: 'prod', region: 'east', cluster: 'web', allowScaleDownActive: '${ parameters.yes }' }, []);
    expect(checked.problems).toEqual([]);
    expect(checked.issues.map((i) => i.path)).toEqual([['allowScaleDownActive']]);
  });
});
