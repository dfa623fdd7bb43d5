import { stepLine, type DeployStepKind } from '../../shared/domain/deploy-progress';
import type { GroupTraffic } from '../cloud/load-balancer-proxy';
import { windowOf, type WindowTraffic } from '../cloud/traffic-analysis';
import type { StepResult } from './handler';

/** A live canary figure at most this often: each one is a stored log line. */
export const CANARY_REPORT_MS = 5000;

type Log = (lines: string[]) => Promise<void>;

/** Writes progress steps into the stage's log (where the execution page reads them, live or later). */
export function reporter(log: Log) {
  return (...steps: Array<[DeployStepKind, string]>) => log(steps.map(([kind, text]) => stepLine(kind, text)));
}

const rate = (w: WindowTraffic) => `${w.requests} request${w.requests === 1 ? '' : 's'}, ${w.errorRatePct}% errors, median ${w.p50Ms} ms`;

/** "canary web-v002: 120 requests, 0.8% errors … · baseline web-v001: …" over the analysis window so far. */
export function canaryFigures(snapshot: Record<string, GroupTraffic> | undefined, now: Record<string, GroupTraffic>, canary: string, baseline: string): string {
  const c = windowOf(snapshot?.[canary], now[canary]);
  const b = windowOf(snapshot?.[baseline], now[baseline]);
  return `canary ${canary}: ${rate(c)} · baseline ${baseline}: ${rate(b)}`;
}

/** The healthy count as the deploy last reported it ("2/3"), so each change is one step, not one per poll. */
export const healthyTag = (up: number, want: number) => `${up}/${want}`;

/** Adds context keys to a step's result (what was reported must be remembered with it). */
export function withContext(result: StepResult, patch: Record<string, unknown>): StepResult {
  if (result.status === 'FAILED') return result;
  return { ...result, context: { ...result.context, ...patch } } as StepResult;
}
