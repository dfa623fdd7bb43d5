import type { z } from 'zod';
import type { bakeStage } from '../../shared/stages/bake';
import { bakeRun, forgetBakeRun, launchBakeRun } from '../bakery/bake-runs';
import { defineHandler, type StepResult } from './handler';
import { BuildMetadata, type ImageVersion } from '../../shared/domain/image';
import type { Execution } from '../../shared/domain/execution';
import { pushBaked, pushRefusal } from './bake-push';

/** The stage fields that end up in the image's build metadata, by their path there. */
const CONFIG_FIELD: Record<string, string> = { 'git.commit': 'gitCommit', 'git.ref': 'gitRef', ciRunUrl: 'ciRunUrl' };
const BUILD_INPUTS = BuildMetadata.pick({ git: true, ciRunUrl: true, buildNumber: true });

/**
 * What built the code being baked, when the stage does not say: the newest Jenkins build this run
 * finished, else what the trigger's delivery said (a GitHub/GitLab push, a Jenkins notification).
 */
function buildOrigin(execution: Execution): { commit?: string; ref?: string; ciRunUrl?: string; buildNumber?: number } {
  const t = execution.trigger;
  const ci = execution.stages
    .filter((s) => s.type === 'jenkins' && s.status === 'SUCCEEDED')
    .sort((a, b) => String(b.endedAt ?? '').localeCompare(String(a.endedAt ?? '')))[0]?.outputs;
  const buildNumber = typeof ci?.buildNumber === 'number' ? ci.buildNumber : t.buildNumber;
  const ciRunUrl = typeof ci?.buildUrl === 'string' ? ci.buildUrl : t.buildUrl;
  const ref = t.tag ? `refs/tags/${t.tag}` : t.branch ? (t.branch.startsWith('refs/') ? t.branch : `refs/heads/${t.branch}`) : undefined;
  return { ...(t.commit ? { commit: t.commit } : {}), ...(ref ? { ref } : {}), ...(ciRunUrl ? { ciRunUrl } : {}), ...(buildNumber !== undefined ? { buildNumber } : {}) };
}

type Config = z.output<typeof bakeStage.config>;

const POLL_MS = 1000;
/** A bake whose owner stored no heartbeat for this long is taken as lost with its process. */
const HEARTBEAT_STALE_MS = 30_000;

const outputsOf = (image: { id: string; name: string; version: string; digest: string }, cached: boolean) => ({
  image: `${image.name}:${image.version}`,
  version: image.version,
  imageId: image.id,
  checksum: image.digest,
  cached,
});

/**
 * Runs a recipe in this process and polls it. Re-entrant: the launch is recorded in `context`
 * before anything is built, so after a crash the stage finds its image in the registry (baked and
 * registered before the crash) or fails as interrupted — it never builds a second time on its own.
 */
export const bakeHandler = defineHandler<Config>({
  taskName: (context) => (typeof context.recipe === 'string' ? `Bake ${context.recipe} r${String(context.recipeRevision)}` : 'Start the bake'),
  async step({ config, resolve, stage, execution, now, repos, services }) {
    const soon = new Date(now.getTime() + POLL_MS);
    const run = bakeRun(execution.id, stage.refId);
    /** The stage's end once the image is registered: pushed where `push` says first. */
    const succeed = async (image: ImageVersion, cached: boolean, context?: Record<string, unknown>): Promise<StepResult> => {
      const outputs = outputsOf(image, cached);
      if (config.push.length === 0) return { status: 'SUCCEEDED', outputs, ...(context ? { context } : {}) };
      const pushed = await pushBaked({ repos, log: services.log }, image, config.push);
      if (pushed.error) return { status: 'FAILED', error: pushed.error };
      return { status: 'SUCCEEDED', outputs: { ...outputs, pushes: pushed.pushes }, ...(context ? { context } : {}) };
    };

    if (!run) {
      if (typeof stage.context.launchedAt === 'string') {
        const baked = await repos.images.byBuild(execution.id, stage.refId);
        if (baked) return succeed(baked, false);
        const heartbeat = Date.parse(String(stage.context.heartbeatAt ?? stage.context.launchedAt));
        if (now.getTime() - heartbeat < HEARTBEAT_STALE_MS) return { status: 'RUNNING', wakeAt: soon };
        return {
          status: 'FAILED',
          error: `the Kiln process baking this image (${String(stage.context.launchedBy)}) stopped before it finished; it was not baked again so nothing is built twice — restart the stage to bake anew`,
        };
      }
      const recipe = await repos.recipes.getByName(config.recipe);
      if (!recipe) return { status: 'FAILED', error: `recipe: no recipe named '${config.recipe}'` };
      const refused = await pushRefusal(repos, execution, config.push);
      if (refused) return { status: 'FAILED', error: refused };
      const text = (v: string | undefined) => {
        const value = v === undefined ? undefined : resolve(v);
        return value === undefined || value === null || value === '' ? undefined : String(value);
      };
      const origin = buildOrigin(execution);
      const git = { commit: text(config.gitCommit) ?? origin.commit, ref: text(config.gitRef) ?? origin.ref };
      const ciRunUrl = text(config.ciRunUrl) ?? origin.ciRunUrl;
      const buildNumber = origin.buildNumber;
      // Refused before anything is built: the registry would refuse the image at the end anyway.
      const inputs = BUILD_INPUTS.safeParse({ git, ciRunUrl, buildNumber });
      if (!inputs.success) {
        const issue = inputs.error.issues[0]!;
        const field = CONFIG_FIELD[issue.path.join('.')] ?? issue.path.join('.');
        return { status: 'FAILED', error: `${field}: ${issue.message}` };
      }
      const at = now.toISOString();
      // The launch record first, in one compare-and-set with the lease: no other process bakes it too.
      await services.recordLaunch({ launchedAt: at, launchedBy: services.owner, heartbeatAt: at });
      launchBakeRun({
        repos,
        executionId: execution.id,
        application: execution.application,
        refId: stage.refId,
        request: {
          recipe,
          rebake: config.rebake,
          git,
          ciRunUrl,
          buildNumber,
          executionId: execution.id,
          stageRefId: stage.refId,
          by: execution.trigger.user,
        },
        onEnd: () => void repos.executions.wake(execution.id),
      });
      return { status: 'RUNNING', wakeAt: soon, context: { launchedAt: at, launchedBy: services.owner, heartbeatAt: at, recipe: recipe.name, recipeRevision: recipe.revision } };
    }

    if (run.state === 'running') return { status: 'RUNNING', wakeAt: soon, context: { heartbeatAt: now.toISOString() } };
    forgetBakeRun(execution.id, stage.refId);
    if (run.state === 'failed') return { status: 'FAILED', error: run.error };
    return succeed(run.image, run.cached, { imageId: run.image.id });
  },
});
