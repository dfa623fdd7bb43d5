import { z } from 'zod';
import type { StageExecution } from '../../shared/domain/execution';
import { RelativeTime } from './relative-time';

const Record = z.object({ by: z.string(), at: z.string().optional(), reason: z.string().optional(), overrodeRejection: z.boolean().optional() });
const Judgment = Record.extend({ at: z.string(), decision: z.enum(['approve', 'reject']), comment: z.string().optional(), input: z.string().optional() });

export type AuditEntry = { what: string; by: string; at?: string | undefined; note?: string | undefined };

/** What people did to a stage, read from its context (the engine records who, when and why there). */
export function stageAudit(stage: StageExecution): AuditEntry[] {
  const out: AuditEntry[] = [];
  const judgment = Judgment.safeParse(stage.context.judgment);
  if (judgment.success) {
    const j = judgment.data;
    const what = j.decision === 'approve' ? `Approved${j.input ? ` (${j.input})` : ''}` : 'Rejected';
    out.push({ what, by: j.by, at: j.at, note: j.comment });
  }
  const simple: Array<[string, string]> = [
    ['restarted', `Restarted (attempt ${stage.attempt})`],
    ['skipped', 'Skipped'],
    ['failureIgnored', 'Failure ignored'],
  ];
  for (const [key, what] of simple) {
    const r = Record.safeParse(stage.context[key]);
    // An admin acting past a rejected judgment: the record says so next to their reason.
    if (r.success) out.push({ what: r.data.overrodeRejection ? `${what} past a rejected judgment` : what, by: r.data.by, at: r.data.at, note: r.data.reason });
  }
  return out.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
}

export function AuditList({ entries }: { entries: readonly AuditEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <ul aria-label="Audit record" className="flex flex-col gap-1 text-sm">
      {entries.map((e) => (
        <li key={`${e.what}-${e.at ?? ''}`} className="rounded-md bg-zinc-50 px-2 py-1 dark:bg-zinc-800/60">
          <span className="font-medium">{e.what}</span> by <span className="font-medium">{e.by}</span>
          {e.at && (
            <>
              {' '}
              <RelativeTime iso={e.at} />
            </>
          )}
          {e.note && (
            <>
              {': '}
              <q className="whitespace-pre-wrap break-words">{e.note}</q>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
