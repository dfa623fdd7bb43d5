import type { Repositories } from '../../db/types';
import type { ImageVersion } from '../../shared/domain/image';
import { createEventBus } from '../events/event-bus';
import { bake, type BakeRequest } from './bake';
import { BakeError } from './bake-error';
import { createBakeLog } from './bake-log';
import { createStageLogSink } from './stage-log';
import { bakeryPaths, defaultDataDir, sweepStaleBakes } from './store';

export type BakeRun = { state: 'running' } | { state: 'done'; image: ImageVersion; cached: boolean } | { state: 'failed'; error: string };

/** Bakes this process is running, by `${executionId}/${refId}`; a bake stage polls its own. */
const runs = new Map<string, BakeRun>();
const WATCH_MS = 2000;

export function bakeRun(executionId: string, refId: string): BakeRun | undefined {
  return runs.get(`${executionId}/${refId}`);
}

export function forgetBakeRun(executionId: string, refId: string): void {
  runs.delete(`${executionId}/${refId}`);
}

/**
 * Starts a bake for a pipeline stage in this process. Its log goes to the stage's execution log
 * (and out as live events); a stage canceled or halted meanwhile aborts its shell provisioners.
 * `onEnd` makes the execution due at once.
 */
export function launchBakeRun(deps: {
  repos: Repositories;
  executionId: string;
  application: string;
  refId: string;
  request: BakeRequest;
  dataDir?: string;
  onEnd: () => void;
  onError?: (err: unknown) => void;
}): void {
  const key = `${deps.executionId}/${deps.refId}`;
  runs.set(key, { state: 'running' });
  const sink = createStageLogSink({
    repos: deps.repos,
    // The engine's own bus is not handed to stage handlers; events published here are stored in
    // the log and reach SSE clients on their next poll of it (about a second).
    events: createEventBus(deps.repos, deps.onError),
    executionId: deps.executionId,
    application: deps.application,
    refId: deps.refId,
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  const abort = new AbortController();
  const watch = setInterval(() => {
    deps.repos.executions.stageStatus(deps.executionId, deps.refId).then(
      (status) => {
        if (status && status !== 'RUNNING') abort.abort();
      },
      (err: unknown) => deps.onError?.(err),
    );
  }, WATCH_MS);
  const log = createBakeLog((line) => sink.push(line));
  const paths = bakeryPaths(deps.dataDir ?? defaultDataDir());
  for (const left of sweepStaleBakes(paths)) log.say('bake', `removed the scratch directory of an earlier interrupted bake (${left})`);
  void bake({ repos: deps.repos, paths, log, signal: abort.signal }, deps.request)
    .then(
      ({ image, cached }): BakeRun => ({ state: 'done', image, cached }),
      (err: unknown): BakeRun => ({ state: 'failed', error: err instanceof BakeError ? `${err.step}: ${err.message}` : String(err) }),
    )
    .then(async (run) => {
      clearInterval(watch);
      await sink.close();
      runs.set(key, run);
      deps.onEnd();
    });
}
