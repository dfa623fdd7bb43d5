import type { PipelineDraft, Trigger } from './pipeline';
import { isAutomatic } from './pipeline-secrets';

/**
 * Closes the confused deputy: an automatic trigger runs the pipeline with its owner's permissions,
 * so whoever changes what those runs execute is, in effect, running it as the owner. Such a save
 * needs EXECUTE, and its author becomes the person the automatic triggers run as: a run only ever
 * acts for someone who endorsed both how it starts and what it does (nobody borrows another
 * person's deploy accounts by editing a stage). One module for the BFF and the mocks.
 */

/** The parts of a pipeline a run executes, in the order a message names them. */
const RUN_PARTS = ['stages', 'parameters', 'notifications', 'concurrency'] as const;
export type RunPart = (typeof RUN_PARTS)[number] | 'disabled';

/** Triggers saved before they had owners act as the trigger service account (see engine/lifecycle.ts). */
const LEGACY_OWNER = 'kiln-trigger';

// Key order must not make two equal configurations differ (an editor may rebuild objects).
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, canonical(v)]),
  );
}
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** What `next` changes in what a run executes compared with `stored`. Stopping it (disabled: true) changes nothing a run does. */
export function runChanges(next: PipelineDraft, stored: PipelineDraft): RunPart[] {
  const parts: RunPart[] = RUN_PARTS.filter((part) => !same(next[part], stored[part]));
  if (stored.disabled && !next.disabled) parts.push('disabled');
  return parts;
}

type AnyTrigger = { type: string; enabled: boolean; runAs?: string | undefined };

/** Enabled webhook, cron and pipeline triggers: each starts runs without anyone pressing a button. */
export const liveAutomatic = <T extends AnyTrigger>(triggers: readonly T[]): T[] => triggers.filter((t) => t.type !== 'manual' && t.enabled);

/** Whom a pipeline's automatic runs act as and which triggers start them ('ana', 'webhook, cron'); undefined when none is live. */
export function runsAutomaticallyAs(triggers: readonly AnyTrigger[]): { owners: string; kinds: string } | undefined {
  const live = liveAutomatic(triggers);
  if (live.length === 0) return undefined;
  return { owners: [...new Set(live.map((t) => t.runAs ?? LEGACY_OWNER))].join(', '), kinds: [...new Set(live.map((t) => t.type))].join(', ') };
}

export type RunGuard = { ok: true; triggers: Trigger[] } | { ok: false; field: string; message: string };

/**
 * Checks a save (or restore) of `next` over `stored` by `saver`. `next.triggers` are the merged
 * ones (mergeTriggers), `mayExecute` whether the saver holds EXECUTE on the application. The
 * pipeline's own `disabled` flag is ignored on purpose: re-enabling it later would run the edit.
 */
export function guardRunContent(next: PipelineDraft, stored: PipelineDraft | undefined, saver: { by: string; at: string; mayExecute: boolean }): RunGuard {
  if (!stored) return { ok: true, triggers: next.triggers };
  const live = runsAutomaticallyAs(stored.triggers);
  const parts = live ? runChanges(next, stored) : [];
  if (!live || parts.length === 0) return { ok: true, triggers: next.triggers };
  if (!saver.mayExecute) {
    const { owners, kinds } = live;
    return {
      ok: false,
      field: parts[0]!,
      message:
        `${saver.by} lacks EXECUTE permission on application '${next.application}': this pipeline runs automatically as ${owners} (${kinds} trigger), ` +
        `so saving changes to its ${parts.join(', ')} needs EXECUTE; the next automatic run would execute them with ${owners}'s permissions. ` +
        'WRITE is enough for the name and description, for disabling the pipeline, and for pipelines without an enabled webhook, cron or pipeline trigger.',
    };
  }
  // The saver now answers for what the automatic runs do: they act as the saver from here on.
  return { ok: true, triggers: next.triggers.map((t) => (isAutomatic(t) && t.type !== 'manual' ? { ...t, runAs: saver.by, setAt: saver.at } : t)) };
}
