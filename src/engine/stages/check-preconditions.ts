import type { z } from 'zod';
import type { checkPreconditionsStage } from '../../shared/stages/check-preconditions';
import { parseMoniker } from '../../shared/domain/moniker';
import { defineHandler } from './handler';

type Config = z.output<typeof checkPreconditionsStage.config>;

const compare = { '==': (a: number, b: number) => a === b, '>=': (a: number, b: number) => a >= b, '<=': (a: number, b: number) => a <= b, '>': (a: number, b: number) => a > b, '<': (a: number, b: number) => a < b };

export const checkPreconditionsHandler = defineHandler<Config>({
  async step({ config, resolve, repos }) {
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
      } else {
        const parsed = parseMoniker(p.cluster);
        const app = parsed.ok ? parsed.moniker.app : p.cluster;
        const groups = (await repos.serverGroups.listByApplication(app)).filter(
          (g) => g.cluster === p.cluster && g.account === p.account && g.region === p.region && !g.disabled,
        );
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
