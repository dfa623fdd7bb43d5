import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { TestDatabase } from '../../db/test-database';
import { percentile } from '../../shared/percentile';

/**
 * Reads a KILN_TRACE file (engine-process.ts) and follows each job stage from its stored exit to the
 * end of its stage: who was woken, which process claimed it next and how long each leg took. A claim
 * that came only when a release's wake time passed (no wake in between) is a poll, not a hand-over.
 */
export async function traceJobs(file: string, t: TestDatabase): Promise<string> {
  if (!existsSync(file)) return 'trace: nothing traced';
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  rmSync(file);
  const byExecution = new Map<string, Array<{ at: number; who: string; what: string; rest: string[] }>>();
  for (const l of lines) {
    const [at, who, what, id, ...rest] = l.split(' ');
    const list = byExecution.get(id!) ?? [];
    list.push({ at: Number(at), who: who!, what: what!, rest });
    byExecution.set(id!, list);
  }
  const { rows } = await t.db.query<{ id: string; ref: string; ended: string }>(
    `select execution_id as id, ref_id as ref, (extract(epoch from ended_at) * 1000)::bigint::text as ended from execution_stages where type = 'runJob' and ended_at is not null`,
  );
  const exitToClaim: number[] = [];
  const claimToEnd: number[] = [];
  let byOther = 0;
  let polled = 0;
  let inAdvance = 0;
  for (const r of rows) {
    const log = (byExecution.get(r.id) ?? []).sort((a, b) => a.at - b.at);
    const exit = log.find((e) => e.what === 'exit' && e.rest[0] === r.ref);
    if (!exit) continue;
    const ended = Number(r.ended);
    // The claim under which the stage ended: the last one before its end.
    const claim = log.filter((e) => e.what === 'claim' && e.at <= ended).at(-1);
    if (!claim || claim.at < exit.at) {
      inAdvance += 1; // ended by an advance already under way when the job exited (nudged)
      continue;
    }
    exitToClaim.push(claim.at - exit.at);
    claimToEnd.push(ended - claim.at);
    if (claim.who !== exit.who) byOther += 1;
    const woken = log.some((e) => e.what === 'wake' && e.at >= exit.at && e.at <= claim.at);
    if (!woken) polled += 1;
  }
  const p = (xs: number[]) => (xs.length ? `p50 ${percentile(xs, 50).toFixed(0)}/p99 ${percentile(xs, 99).toFixed(0)} ms` : '-');
  return `trace: ${rows.length} job stages; ${inAdvance} ended by the advance under way at their exit; the others: exit→claim ${p(exitToClaim)}, claim→stage end ${p(claimToEnd)}, claimed by the other process ${byOther}, claimed without a wake since the exit ${polled}`;
}
