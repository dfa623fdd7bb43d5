import { triggerExpressionProblems } from '../../shared/domain/trigger-literals';
import type { Pipeline, Trigger } from '../../shared/domain/pipeline';
import type { TriggerRecord } from '../../shared/domain/execution';
import type { Repositories } from '../../db/types';
import type { ChannelMove } from '../../db/repositories/images';
import { StaleCursorError, type TransactionStep, type TriggerKey } from '../../db/repositories/registry-cursors';
import { EngineError } from '../errors';

type RegistryTrigger = Extract<Trigger, { type: 'registry' }>;

const PAGE = 500;
/** A trigger with no cursor yet and no `setAt` (saved before triggers had owners) starts no further back than this. */
const FIRST_LOOK_MS = 3_600_000;
/** How many skipped versions a run lists by name; the count says how many there were. */
const LISTED_SKIPS = 50;
const EPOCH = new Date(0).toISOString();

export function registryTriggerMatches(trigger: RegistryTrigger, move: ChannelMove): boolean {
  if (trigger.image !== move.name || trigger.channel !== move.channel) return false;
  // Compared as instants: a saved setAt may carry an offset (+02:00), the log's times are UTC.
  if (trigger.setAt !== undefined && Date.parse(move.at) < Date.parse(trigger.setAt)) return false;
  return trigger.versionRegex === undefined || new RegExp(`^(?:${trigger.versionRegex})$`).test(move.version);
}

interface Watched {
  pipeline: Pipeline;
  trigger: RegistryTrigger;
  key: TriggerKey;
  /** A disabled trigger (or pipeline) starts nothing, but reads on: enabling it later does not start runs for the past. */
  live: boolean;
}

/**
 * Registry triggers fire from the registry's own log (image_channel_history: every new version is
 * put on `latest` in the transaction that stores it, every channel move is a row), never from a
 * hook in the process that made the change. Each trigger keeps a cursor in the database — the last
 * log row it has read — so a Kiln that was stopped for hours catches up from where it was, like
 * Spinnaker's igor keeping the tags it has seen. The cursor moves in the transaction that stores the
 * run it starts, by compare-and-set: of several Kiln processes reading the same rows, one starts
 * the run. After a stop, a trigger starts one run, for the newest version it missed; the run lists
 * the ones it skipped (starting every missed version would deploy each in turn, only to replace it).
 */
export function createRegistryTriggers(deps: {
  repos: Repositories;
  now: () => Date;
  /** The trigger record says whom the run acts as (the trigger's `runAs`); fire checks their permissions. */
  fire: (pipeline: Pipeline, trigger: TriggerRecord, cause: string, within?: TransactionStep) => Promise<{ duplicate: boolean }>;
  /** Whom triggers saved without an owner act as. */
  fallbackUser: string;
  onError?: (err: unknown) => void;
}) {
  const { repos } = deps;
  // Triggers saved with `${` in a field before that was refused never match: each is reported once per process, not skipped in silence.
  const reported = new Set<string>();
  const problemOf = (pipeline: Pipeline, index: number) => {
    const problem = triggerExpressionProblems({ triggers: pipeline.triggers }).find((p) => p.path.startsWith(`triggers[${index}].`));
    if (!problem) return false;
    const key = `${pipeline.id}/${index}/${problem.path}`;
    if (!reported.has(key)) {
      reported.add(key);
      deps.onError?.(
        new Error(`pipeline '${pipeline.name}' of ${pipeline.application}: its registry trigger never starts a run until ${problem.path} is edited: ${problem.message}`),
      );
    }
    return true;
  };

  async function movesAfter(from: number): Promise<ChannelMove[]> {
    const moves: ChannelMove[] = [];
    for (;;) {
      const page = await repos.images.channelMoves(moves.at(-1)?.id ?? from, EPOCH, PAGE);
      moves.push(...page);
      if (page.length < PAGE) return moves;
    }
  }

  /** Starts the run for the newest matching move, moving the cursor with it; false when nothing started here. */
  async function fire(w: Watched, fresh: ChannelMove[], from: number, to: number): Promise<boolean> {
    const newest = fresh.at(-1)!;
    const skipped = fresh.slice(0, -1).reverse();
    const record: TriggerRecord = {
      type: 'registry',
      user: w.trigger.runAs ?? deps.fallbackUser,
      parameters: {},
      image: newest.name,
      version: newest.version,
      channel: newest.channel,
      ...(skipped.length > 0 ? { skippedVersions: skipped.slice(0, LISTED_SKIPS).map((m) => m.version), skippedCount: skipped.length } : {}),
    };
    const cause = `registry/${w.pipeline.id}/${w.key.triggerId}/${newest.id}`;
    try {
      const { duplicate } = await deps.fire(w.pipeline, record, cause, repos.registryCursors.advancing(w.key, from, to));
      // Started before (by another process, or by this one before a crash): the cursor still has to move on.
      if (duplicate) await repos.registryCursors.advance(w.key, from, to);
      return !duplicate;
    } catch (err) {
      // Another process read further and moved the cursor first; the next check starts from there.
      if (err instanceof StaleCursorError) return false;
      // Refused for good (the owner lost EXECUTE: the audit log says so; placeholder stages): these
      // versions are read. Anything else (the database went away) is tried again at the next check.
      if (err instanceof EngineError) await repos.registryCursors.advance(w.key, from, to);
      deps.onError?.(err);
      return false;
    }
  }

  return {
    /** Fires what the registry did since each trigger last looked; returns how many runs it started. */
    async check(): Promise<number> {
      const watched: Watched[] = (await repos.pipelines.withRegistryTrigger()).flatMap((pipeline) =>
        pipeline.triggers.flatMap((trigger, index) =>
          trigger.type === 'registry'
            ? [
                {
                  pipeline,
                  trigger,
                  key: { pipelineId: pipeline.id, triggerId: trigger.id ?? String(index) },
                  live: !pipeline.disabled && trigger.enabled && !problemOf(pipeline, index),
                },
              ]
            : [],
        ),
      );
      if (watched.length === 0) return 0;
      const stored = await repos.registryCursors.list();
      const firstLook = deps.now().getTime() - FIRST_LOOK_MS;
      const cursors = new Map<Watched, number>();
      for (const w of watched) {
        // A trigger seen for the first time starts where it was set up: versions older than it start nothing.
        const since = new Date(Math.max(w.trigger.setAt === undefined ? 0 : Date.parse(w.trigger.setAt), firstLook)).toISOString();
        cursors.set(w, stored.get(`${w.key.pipelineId}/${w.key.triggerId}`) ?? (await repos.registryCursors.start(w.key, since)));
      }
      const moves = await movesAfter(Math.min(...cursors.values()));
      const last = moves.at(-1)?.id;
      if (last === undefined) return 0;
      let fired = 0;
      for (const w of watched) {
        const from = cursors.get(w)!;
        if (from >= last) continue;
        const fresh = w.live ? moves.filter((m) => m.id > from && registryTriggerMatches(w.trigger, m)) : [];
        if (fresh.length === 0) await repos.registryCursors.advance(w.key, from, last);
        else if (await fire(w, fresh, from, last)) fired += 1;
      }
      return fired;
    },
  };
}
