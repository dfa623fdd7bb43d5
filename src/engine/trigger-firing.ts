import type { TransactionStep } from '../db/repositories/registry-cursors';
import type { Repositories } from '../db/types';
import type { Execution, TriggerRecord } from '../shared/domain/execution';
import type { Pipeline } from '../shared/domain/pipeline';
import { can } from '../shared/domain/user';
import { derivedId } from './derived-id';
import { EngineError } from './errors';
import { TRIGGER_ACCOUNT } from './lifecycle';
import { createCronScheduler } from './triggers/cron-scheduler';
import { createRegistryTriggers } from './triggers/registry-triggers';

export type Fire = (pipeline: Pipeline, trigger: TriggerRecord, cause: string, within?: TransactionStep) => Promise<{ execution: Execution; duplicate: boolean }>;

/** Automatic starts: webhook deliveries, cron minutes, registry moves and pipeline triggers all go through fire(). */
export function createTriggerFiring(deps: {
  repos: Repositories;
  now: () => Date;
  start: (pipeline: Pipeline, trigger: TriggerRecord, id: string, within?: TransactionStep) => Promise<Execution>;
  onError?: ((err: unknown) => void) | undefined;
}): { fire: Fire; checkTriggers: () => Promise<number> } {
  const { repos, now } = deps;

  /**
   * An automatic trigger acts as the person who last set it up (`runAs`), with their permissions as
   * they are now: someone who lost EXECUTE, was disabled or removed starts nothing, and the refusal
   * with its reason is in the audit log.
   */
  async function mayTrigger(pipeline: Pipeline, trigger: TriggerRecord, cause: string): Promise<void> {
    const account = await repos.users.me(trigger.user);
    if (can(account, 'EXECUTE', { application: pipeline.application })) return;
    const reason = !account
      ? `${trigger.user} no longer exists`
      : account.user.disabled
        ? `${trigger.user} is disabled`
        : `${trigger.user} lacks EXECUTE permission on application '${pipeline.application}'`;
    const message = `${reason}, so the ${trigger.type} trigger of '${pipeline.name}' did not start it.`;
    await repos.audit.append({
      at: now().toISOString(),
      actor: trigger.user,
      action: `${trigger.type} trigger`,
      target: `pipeline ${pipeline.id}`,
      status: 403,
      details: { cause, pipeline: pipeline.name, runAs: trigger.user, reason: message },
    });
    throw new EngineError('forbidden', message);
  }

  /** Starts a run for an automatic cause once: firing the same cause again returns the first run. */
  const fire: Fire = async (pipeline, trigger, cause, within) => {
    const id = derivedId(cause);
    const existing = await repos.executions.get(id);
    if (existing) return { execution: existing, duplicate: true };
    await mayTrigger(pipeline, trigger, cause);
    try {
      return { execution: await deps.start(pipeline, trigger, id, within), duplicate: false };
    } catch (err) {
      const raced = await repos.executions.get(id); // another process fired it a moment before
      if (raced) return { execution: raced, duplicate: true };
      throw err;
    }
  };

  const onError = deps.onError ? { onError: deps.onError } : {};
  const cron = createCronScheduler({
    repos,
    now,
    fire: (pipeline, trigger, cause) => fire(pipeline, { type: 'cron', user: trigger.runAs ?? TRIGGER_ACCOUNT, parameters: {} }, cause),
    ...onError,
  });
  const registryTriggers = createRegistryTriggers({ repos, now, fire, fallbackUser: TRIGGER_ACCOUNT, ...onError });
  const checkTriggers = async () => (await cron.check()) + (await registryTriggers.check());
  return { fire, checkTriggers };
}
