import { useId, useRef, useState } from 'react';
import { judgeStage } from '../../../shared/api/executions';
import type { Execution, StageExecution } from '../../../shared/domain/execution';
import { Button } from '../../components/button';
import { RelativeTime } from '../../components/relative-time';
import { ApiRequestError } from '../../lib/api-client';
import { useExecutionAction } from '../../lib/use-execution-action';
import { AuditList, stageAudit } from '../../components/stage-audit';
import { elapsed, formatDuration } from '../../lib/duration';
import { useNow } from '../../lib/use-now';
import { judgeVerdict } from '../../../shared/domain/stage-rules';
import { useMe } from '../../lib/auth-queries';
import { JudgmentEvidence } from './judgment-evidence';
import { JudgmentContextView } from './judgment-context';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * A manual judgment: what to check (instructions, evidence), how long it has waited, and Approve /
 * Reject. A rejection needs a comment. When someone judged first the server answers 409 and the
 * panel shows their decision instead.
 */
interface JudgmentPanelProps {
  execution: Execution;
  stage: StageExecution;
  showEvidence?: boolean;
  /** Called when the user sends a judgment (the inbox keeps the item on screen to show the outcome). */
  onJudge?: () => void;
}

export function JudgmentPanel({ execution, stage, showEvidence = true, onJudge }: JudgmentPanelProps) {
  const ids = { comment: useId(), input: useId() };
  const [comment, setComment] = useState('');
  const [input, setInput] = useState('');
  const judge = useExecutionAction(judgeStage, { executionId: execution.id, refId: stage.refId });
  const me = useMe();
  // The engine's own rule (shared/domain/stage-rules.ts): the form shows only when the judgment would be accepted.
  const decision = judgeVerdict(me, execution, stage);
  const options = list(stage.config.inputOptions);
  const roles = list(stage.config.allowedRoles);
  const waitingSince = str(stage.context.waitingSince) || stage.startedAt;
  const waiting = stage.status === 'SUSPENDED';
  const now = useNow(waiting);
  const waited = waitingSince ? elapsed(waitingSince, waiting ? undefined : stage.endedAt, now) : undefined;
  const audit = stageAudit(stage).filter((a) => a.what.startsWith('Approved') || a.what === 'Rejected');
  const lost = judge.error instanceof ApiRequestError && judge.error.status === 409;
  const busy = judge.isPending;

  // A double click must send one judgment, not a second that the server would refuse with 409.
  const sending = useRef(false);
  const send = (d: 'approve' | 'reject') => {
    if (sending.current) return;
    sending.current = true;
    onJudge?.();
    judge.mutate({ decision: d, ...(comment.trim() ? { comment: comment.trim() } : {}), ...(input ? { input } : {}) }, { onSettled: () => (sending.current = false) });
  };

  return (
    <section
      aria-label={`Judgment: ${stage.name}`}
      className="flex flex-col gap-3 rounded-lg border border-violet-200 bg-violet-50/40 p-3 dark:border-violet-500/30 dark:bg-violet-500/5"
    >
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h3 className="text-sm font-semibold">{stage.name}</h3>
        {waited !== undefined && (
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            {waiting ? 'Waiting for ' : 'Waited '}
            <span className="font-mono tabular-nums">{formatDuration(waited)}</span>
            {waitingSince && (
              <>
                {' '}
                (since <RelativeTime iso={waitingSince} />)
              </>
            )}
          </span>
        )}
      </div>
      <JudgmentContextView execution={execution} stage={stage} />
      <div>
        <h4 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Instructions</h4>
        <p className="text-sm whitespace-pre-wrap">{str(stage.context.instructions ?? stage.config.instructions) || 'The pipeline gives no instructions for this judgment.'}</p>
      </div>
      {showEvidence && <JudgmentEvidence execution={execution} stage={stage} />}
      {(roles.length > 0 || stage.config.separationOfDuties === true) && (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {roles.length > 0 && `The pipeline limits this judgment to: ${roles.join(', ')}. `}
          {stage.config.separationOfDuties === true && 'The person who started the execution may not judge it. '}
        </p>
      )}
      <AuditList entries={audit} />
      {lost && (
        <p role="alert" className="text-sm font-medium text-amber-800 dark:text-amber-300">
          Someone decided first. {judge.error?.message}
        </p>
      )}
      {judge.error && !lost && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {judge.error.message}
        </p>
      )}
      {decision.allowed ? (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            send('approve');
          }}
        >
          {options.length > 0 && (
            <fieldset className="flex flex-wrap gap-3 text-sm">
              <legend className="mb-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">Choose an option</legend>
              {options.map((o) => (
                <label key={o} className="flex items-center gap-1">
                  <input type="radio" name={ids.input} value={o} checked={input === o} onChange={() => setInput(o)} />
                  {o}
                </label>
              ))}
            </fieldset>
          )}
          <label htmlFor={ids.comment} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Comment (required to reject)
          </label>
          <textarea
            id={ids.comment}
            rows={2}
            maxLength={5000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={busy || (options.length > 0 && !input)}>
              Approve
            </Button>
            <Button onClick={() => send('reject')} disabled={busy || comment.trim() === ''}>
              Reject
            </Button>
            {busy && <span className="self-center text-xs text-zinc-500">Recording…</span>}
          </div>
        </form>
      ) : (
        audit.length === 0 && me && <p className="text-sm text-zinc-600 dark:text-zinc-400">{decision.reason}</p>
      )}
    </section>
  );
}
