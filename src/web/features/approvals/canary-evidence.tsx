import { z } from 'zod';
import type { StageExecution } from '../../../shared/domain/execution';
import { Badge } from '../../components/badge';

/**
 * What a canary deploy records (engine/stages/deploy.ts: outputs.canaryAnalysis when it passed,
 * context.canaryAnalysis when it failed): the same window of traffic for canary and baseline.
 * Read leniently from the stage's free-form outputs; anything else shaped is not shown as numbers.
 */
const Traffic = z.object({
  requests: z.number(),
  errors: z.number(),
  errorRatePct: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  meanMs: z.number(),
});
const CanaryAnalysis = z.object({ pass: z.boolean(), canary: Traffic, baseline: Traffic, reasons: z.array(z.string()).default([]) });
export type CanaryAnalysis = z.infer<typeof CanaryAnalysis>;

export function canaryAnalysisOf(stage: StageExecution): CanaryAnalysis | undefined {
  const raw = stage.outputs.canaryAnalysis ?? stage.context.canaryAnalysis;
  const parsed = CanaryAnalysis.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

type Row = { label: string; of: (t: CanaryAnalysis['canary']) => number; unit: string /** Higher is worse: the canary cell is marked when it is. */; worse: boolean };
const ROWS: Row[] = [
  { label: 'Requests', of: (t) => t.requests, unit: '', worse: false },
  { label: 'Errors', of: (t) => t.errors, unit: '', worse: false },
  { label: 'Error rate', of: (t) => t.errorRatePct, unit: '%', worse: true },
  { label: 'Median latency', of: (t) => t.p50Ms, unit: ' ms', worse: true },
  { label: 'p95 latency', of: (t) => t.p95Ms, unit: ' ms', worse: true },
  { label: 'Mean latency', of: (t) => t.meanMs, unit: ' ms', worse: true },
];

/** Latency comes from histogram buckets, so medians and p95 are upper bounds ("≤"). */
const shown = (row: Row, v: number) => `${row.label.endsWith('latency') && row.label !== 'Mean latency' ? '≤' : ''}${v.toLocaleString('en')}${row.unit}`;

export function CanaryEvidence({ stage, analysis }: { stage: StageExecution; analysis: CanaryAnalysis }) {
  return (
    <figure className="flex flex-col gap-1">
      <figcaption className="flex items-center gap-2">
        <span className="font-medium">Canary of {stage.name}</span>
        <Badge tone={analysis.pass ? 'green' : 'red'}>{analysis.pass ? 'passed' : 'failed'}</Badge>
      </figcaption>
      <table aria-label={`Canary numbers of ${stage.name}`} className="w-max text-xs tabular-nums">
        <thead>
          <tr className="text-left text-zinc-500 dark:text-zinc-400">
            <th className="pr-4 font-normal">Metric</th>
            <th className="pr-4 text-right font-normal">Baseline</th>
            <th className="text-right font-normal">Canary</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => {
            const base = row.of(analysis.baseline);
            const canary = row.of(analysis.canary);
            const worse = row.worse && canary > base;
            return (
              <tr key={row.label}>
                <th scope="row" className="pr-4 text-left font-normal text-zinc-600 dark:text-zinc-400">
                  {row.label}
                </th>
                <td className="pr-4 text-right font-mono">{shown(row, base)}</td>
                <td className={`text-right font-mono ${worse ? 'text-amber-700 dark:text-amber-400' : ''}`}>{shown(row, canary)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {analysis.reasons.length > 0 && (
        <ul className="list-disc pl-5 text-xs text-red-700 dark:text-red-400">
          {analysis.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </figure>
  );
}
