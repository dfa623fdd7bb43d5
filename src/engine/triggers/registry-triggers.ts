import type { Pipeline, Trigger } from '../../shared/domain/pipeline';
import type { TriggerRecord } from '../../shared/domain/execution';
import type { Repositories } from '../../db/types';
import type { ChannelMove } from '../../db/repositories/images';

type RegistryTrigger = Extract<Trigger, { type: 'registry' }>;

const PAGE = 200;
/** After a long stop only the last hour of the registry is caught up, as cron does: not a day's worth of runs at once. */
const CATCH_UP_MS = 3_600_000;

export function registryTriggerMatches(trigger: RegistryTrigger, move: ChannelMove): boolean {
  if (trigger.image !== move.name || trigger.channel !== move.channel) return false;
  if (trigger.setAt !== undefined && move.at < trigger.setAt) return false;
  return trigger.versionRegex === undefined || new RegExp(`^(?:${trigger.versionRegex})$`).test(move.version);
}

/**
 * Registry triggers fire from the registry's own log (image_channel_history: every new version is
 * put on `latest` in the transaction that stores it, every channel move is a row), never from a
 * hook in the process that made the change. Each row fires each matching trigger under a cause
 * derived from the pipeline, the trigger and the row, so every Kiln process reading the same log
 * starts the run once, and a process that restarts re-reads without starting anything twice.
 */
export function createRegistryTriggers(deps: {
  repos: Repositories;
  now: () => Date;
  /** The trigger record says whom the run acts as (the trigger's `runAs`); fire checks their permissions. */
  fire: (pipeline: Pipeline, trigger: TriggerRecord, cause: string) => Promise<unknown>;
  /** Whom triggers saved without an owner act as. */
  fallbackUser: string;
  onError?: (err: unknown) => void;
}) {
  let cursor = 0;
  const startedAt = deps.now().toISOString();

  return {
    /** Fires what the registry did since the last check; returns how many runs it asked for. */
    async check(): Promise<number> {
      const live = (await deps.repos.pipelines.withRegistryTrigger())
        .filter((p) => !p.disabled)
        .flatMap((pipeline) =>
          pipeline.triggers.flatMap((trigger, index) =>
            trigger.type === 'registry' && trigger.enabled ? [{ pipeline, trigger: { ...trigger, setAt: trigger.setAt ?? startedAt }, index }] : [],
          ),
        );
      if (live.length === 0) return 0;
      // Nothing from before a trigger was set up fires it; nothing older than the catch-up window is read.
      const earliest = live.map((l) => l.trigger.setAt).sort()[0]!;
      const window = new Date(deps.now().getTime() - CATCH_UP_MS).toISOString();
      const since = earliest > window ? earliest : window;
      let fired = 0;
      for (;;) {
        const moves = await deps.repos.images.channelMoves(cursor, since, PAGE);
        for (const move of moves) {
          for (const { pipeline, trigger, index } of live) {
            if (!registryTriggerMatches(trigger, move)) continue;
            fired += 1;
            const record: TriggerRecord = {
              type: 'registry',
              user: trigger.runAs ?? deps.fallbackUser,
              parameters: {},
              image: move.name,
              version: move.version,
              channel: move.channel,
            };
            await deps.fire(pipeline, record, `registry/${pipeline.id}/${trigger.id ?? index}/${move.id}`).catch((err: unknown) => deps.onError?.(err));
          }
          cursor = move.id;
        }
        if (moves.length < PAGE) return fired;
      }
    },
  };
}
