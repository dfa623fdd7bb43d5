import type { Execution, StageExecution } from '../../../shared/domain/execution';
import { Badge } from '../../components/badge';
import { CanaryEvidence, canaryAnalysisOf } from './canary-evidence';

/** Every stage the judgment comes after, directly or not: what it is being asked to approve. */
export function stagesBefore(execution: Execution, stage: StageExecution): StageExecution[] {
  const byRef = new Map(execution.stages.map((s) => [s.refId, s]));
  const seen = new Set<string>();
  const walk = (refs: readonly string[]) => {
    for (const r of refs) {
      if (seen.has(r)) continue;
      seen.add(r);
      walk(byRef.get(r)?.requisiteStageRefIds ?? []);
    }
  };
  walk(stage.requisiteStageRefIds);
  return execution.stages.filter((s) => seen.has(s.refId));
}

const VERSIONISH = /image|version|artifact|tag|commit|sha|build/i;
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
/** `serverGroup` → "server group". */
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
/** A value for people: lists joined, a load balancer as "name (address)", none as "none"; JSON only for what has no better form. */
function readable(v: unknown): string {
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return 'none';
  if (Array.isArray(v)) return v.map(readable).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string') return typeof o.address === 'string' ? `${o.name} (${o.address})` : o.name;
    return text(v);
  }
  return String(v);
}

/** Names that say what is being shipped; shown first so the judge sees what goes where. */
export function versionFacts(execution: Execution, before: readonly StageExecution[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(execution.trigger.parameters)) if (VERSIONISH.test(k)) out.push([`parameter ${k}`, v]);
  for (const s of before) for (const [k, v] of Object.entries(s.outputs)) if (VERSIONISH.test(k)) out.push([`${s.name} → ${k}`, text(v)]);
  return out;
}

const TONE = { SUCCEEDED: 'green', TERMINAL: 'red', FAILED_CONTINUE: 'amber', SKIPPED: 'neutral' } as const;

export function JudgmentEvidence({ execution, stage }: { execution: Execution; stage: StageExecution }) {
  const before = stagesBefore(execution, stage);
  const versions = versionFacts(execution, before);
  const params = Object.entries(execution.trigger.parameters);
  const canaries = before.flatMap((s) => {
    const analysis = canaryAnalysisOf(s);
    return analysis ? [{ stage: s, analysis }] : [];
  });
  return (
    <div className="flex flex-col gap-2 text-sm">
      <h4 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Evidence</h4>
      {versions.length > 0 && (
        <dl aria-label="What is being shipped" className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
          {versions.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
              <dd className="font-mono text-xs break-all">{v}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="text-zinc-600 dark:text-zinc-400">
        Started {execution.trigger.type === 'manual' ? 'by hand' : `by ${execution.trigger.type}`} by{' '}
        <span className="font-medium text-zinc-900 dark:text-zinc-100">{execution.trigger.user}</span>
        {params.length === 0 ? ', with no parameters.' : ' with parameters:'}
      </p>
      {params.length > 0 && (
        <dl aria-label="Parameters" className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
          {params.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-mono text-xs text-zinc-500">{k}</dt>
              <dd className="font-mono text-xs break-all">{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {before.length === 0 ? (
        <p className="text-zinc-500">No stages run before this judgment.</p>
      ) : (
        <ul aria-label="Stages before this judgment" className="flex flex-col gap-1">
          {before.map((s) => (
            <li key={s.refId} className="flex flex-wrap items-center gap-2">
              <Badge tone={TONE[s.status as keyof typeof TONE] ?? 'neutral'}>{s.status.toLowerCase().replace('_', ' ')}</Badge>
              <span className="font-medium">{s.name}</span>
              {s.error && <span className="text-red-700 dark:text-red-400">{s.error}</span>}
              {Object.keys(s.outputs).some((k) => k !== 'canaryAnalysis') && (
                <dl aria-label={`Outputs of ${s.name}`} className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
                  {Object.entries(s.outputs)
                    // Shown as a table below, not as JSON.
                    .filter(([k]) => k !== 'canaryAnalysis')
                    .map(([k, v]) => (
                      <div key={k} className="flex gap-1">
                        <dt className="text-zinc-600 dark:text-zinc-400">{words(k)}</dt>
                        <dd className="font-mono break-all">{readable(v)}</dd>
                      </div>
                    ))}
                </dl>
              )}
            </li>
          ))}
        </ul>
      )}
      {canaries.map(({ stage: s, analysis }) => (
        <CanaryEvidence key={s.refId} stage={s} analysis={analysis} />
      ))}
    </div>
  );
}
