import type { z } from 'zod';
import type { checkPreconditionsStage } from '../../shared/stages/check-preconditions';
import { defineHandler } from './handler';
import { monikerApplication, principalRefusal } from './principal';

type Config = z.output<typeof checkPreconditionsStage.config>;

const compare = {
  '==': (a: number, b: number) => a === b,
  '>=': (a: number, b: number) => a >= b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '<': (a: number, b: number) => a < b,
};

export const checkPreconditionsHandler = defineHandler<Config>({
  async step({ config, resolve, repos, execution }) {
    const checked: string[] = [];
    for (const p of config.preconditions) {
      if (p.type === 'expression') {
        let value: unknown;
        try {
          value = resolve(p.expression);
        } catch (err) {
          return { status: 'FAILED', error: `precondition ${p.expression} could not be evaluated: ${err instanceof Error ? err.message : String(err)}` };
        }
        if (!value) return { status: 'FAILED', error: p.failureMessage ? String(resolve(p.failureMessage)) : `precondition ${p.expression} is false` };
        checked.push(p.expression);
      } else if (p.type === 'stageStatus') {
        const other = execution.stages.find((s) => s.name === p.stage);
        if (!other) return { status: 'FAILED', error: `precondition: no stage named '${p.stage}' in this run (stages: ${execution.stages.map((s) => s.name).join(', ')})` };
        if (other.status !== p.status) return { status: 'FAILED', error: `precondition: stage '${p.stage}' is ${other.status}; expected ${p.status}` };
        checked.push(`${p.stage} is ${p.status}`);
      } else {
        // A cluster's size tells what another team runs: reading it needs READ on its application,
        // for the person the run acts for, as the clusters page would.
        const app = monikerApplication(p.cluster);
        const refusal = await principalRefusal(repos, execution, 'READ', { application: app }, `checking the size of cluster '${p.cluster}'`);
        if (refusal) return { status: 'FAILED', error: refusal };
        const groups = (await repos.serverGroups.listByApplication(app)).filter((g) => g.cluster === p.cluster && g.account === p.account && g.region === p.region && !g.disabled);
        const size = groups.flatMap((g) => g.instances).filter((i) => !p.onlyHealthy || i.health === 'up').length;
        if (!compare[p.comparison](size, p.expected)) {
          return {
            status: 'FAILED',
            error: `cluster ${p.cluster} in ${p.account}/${p.region} has ${size} ${p.onlyHealthy ? 'healthy ' : ''}instance${size === 1 ? '' : 's'}; expected ${p.comparison} ${p.expected}`,
          };
        }
        checked.push(`${p.cluster} size ${size} ${p.comparison} ${p.expected}`);
      }
    }
    return { status: 'SUCCEEDED', outputs: { checked } };
  },
});
