import type { z } from 'zod';
import type { rollbackClusterStage } from '../../shared/stages/rollback-cluster';
import { beginRollback, checkRestore, finishRollback, providerFor, rollbackStartMessage } from '../cloud/cluster-ops';
import { defineHandler } from './handler';
import { reporter } from './deploy-report';
import { clusterOperationRefusal } from './principal';

/** Brings the previous group back, waits until it is healthy, then swaps traffic to it. */
export const rollbackClusterHandler = defineHandler<z.output<typeof rollbackClusterStage.config>>({
  async step({ config, repos, execution, services, stage, now }) {
    const soon = new Date(now.getTime() + 500);
    const ctx = stage.context as { current?: string; restore?: string; startedAt?: string; reportedHealthy?: number };
    const say = reporter(services.log);
    if (!ctx.current || !ctx.restore) {
      const refusal = await clusterOperationRefusal(repos, execution, config, `rolling back cluster '${config.cluster}'`);
      if (refusal) return { status: 'FAILED', error: refusal };
      const { current, restore } = await beginRollback(repos, services.cloud, { application: execution.application, ...config });
      await say(['rollback', rollbackStartMessage(config.cluster, current, restore)]);
      return { status: 'RUNNING', wakeAt: soon, context: { current: current.name, restore: restore.name, startedAt: now.toISOString() } };
    }
    const check = await checkRestore(repos, config, { current: ctx.current, restore: ctx.restore }, { startedAt: ctx.startedAt!, timeoutSec: config.healthyTimeoutSec, now });
    if (check.kind === 'failed') return { status: 'FAILED', error: check.error };
    const { current, restore, up } = check;
    const provider = await providerFor(services.cloud, restore);
    const seen = up > 0 && up !== ctx.reportedHealthy;
    if (seen) await say(['healthy', `${up}/${restore.capacity.desired} instances of ${restore.name} healthy`]);
    if (check.kind === 'waiting') {
      return {
        status: 'RUNNING',
        wakeAt: soon,
        context: { progress: `${up} of ${restore.capacity.desired} instances of ${restore.name} healthy`, ...(seen ? { reportedHealthy: up } : {}) },
      };
    }
    await finishRollback(provider, current, restore);
    await say(['traffic', `${restore.name} enabled: it takes the traffic`], ['disabled', `${current.name} disabled`], ['done', `${restore.name} serves the cluster again`]);
    return { status: 'SUCCEEDED', outputs: { serverGroup: restore.name, rolledBackFrom: current.name } };
  },
});
