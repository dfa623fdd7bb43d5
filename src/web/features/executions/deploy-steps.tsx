import { parseStepLine, type DeployStep, type DeployStepKind } from '../../../shared/domain/deploy-progress';

const MARK: Record<DeployStepKind, { icon: string; tone: string }> = {
  created: { icon: '+', tone: 'text-sky-700 dark:text-sky-300' },
  healthy: { icon: '♥', tone: 'text-emerald-700 dark:text-emerald-300' },
  traffic: { icon: '⇄', tone: 'text-sky-700 dark:text-sky-300' },
  canary: { icon: '◐', tone: 'text-violet-700 dark:text-violet-300' },
  enabled: { icon: '▶', tone: 'text-emerald-700 dark:text-emerald-300' },
  disabled: { icon: '■', tone: 'text-zinc-600 dark:text-zinc-300' },
  destroyed: { icon: '✕', tone: 'text-zinc-600 dark:text-zinc-300' },
  rollback: { icon: '↶', tone: 'text-amber-700 dark:text-amber-300' },
  done: { icon: '✓', tone: 'text-emerald-700 dark:text-emerald-300' },
  failed: { icon: '!', tone: 'text-red-700 dark:text-red-300' },
};

const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '');

/** The progress steps among a stage's log lines, with the time each was stored. */
export function stepsOf(lines: readonly string[], stamps: readonly string[]): Array<DeployStep & { at: string | undefined }> {
  const steps: Array<DeployStep & { at: string | undefined }> = [];
  lines.forEach((line, i) => {
    const step = parseStepLine(line);
    // A step repeated by a retried engine step (after a crash) is one step for the reader.
    if (step && steps.at(-1)?.text !== step.text) steps.push({ ...step, at: stamps[i] });
  });
  return steps;
}

interface DeployStepsProps {
  lines: readonly string[];
  stamps: readonly string[];
  running: boolean;
  loading: boolean;
}

/** A deploy's (or rollback's) progress as a list of steps with times, newest last; live while it runs. */
export function DeploySteps({ lines, stamps, running, loading }: DeployStepsProps) {
  const steps = stepsOf(lines, stamps);
  return (
    <section aria-label="Deploy progress" className="flex flex-col gap-1">
      <h3 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Progress</h3>
      {steps.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {loading ? 'Loading…' : running ? 'Starting: the first step appears here as soon as it happens.' : 'No progress was recorded.'}
        </p>
      ) : (
        <ol className="flex flex-col gap-1 text-sm">
          {steps.map((s, i) => (
            <li key={i} className="flex items-baseline gap-2" data-kind={s.kind}>
              <time dateTime={s.at} className="w-24 shrink-0 font-mono text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                {time(s.at)}
              </time>
              <span aria-hidden="true" className={`w-4 shrink-0 text-center ${MARK[s.kind].tone}`}>
                {MARK[s.kind].icon}
              </span>
              <span className={`min-w-0 break-words ${s.kind === 'failed' ? 'font-medium text-red-800 dark:text-red-300' : ''}`}>{s.text}</span>
            </li>
          ))}
          {running && (
            <li className="flex items-baseline gap-2 text-zinc-600 dark:text-zinc-400">
              <span className="w-24 shrink-0" />
              <span aria-hidden="true" className="w-4 shrink-0 animate-pulse text-center">
                …
              </span>
              <span>in progress</span>
            </li>
          )}
        </ol>
      )}
    </section>
  );
}
