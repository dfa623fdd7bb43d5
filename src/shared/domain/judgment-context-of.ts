import type { Execution, StageExecution } from './execution';
import type { GroupNow, JudgmentContext } from './judgment-context';
import { formatCluster } from './moniker';
import type { ServerGroup } from './server-group';
import { healthyCount } from './traffic-guard';
import type { ImageVersion } from './image';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const IMAGE = /^([^\s:${}@]+):([\w.+-]+)$/;

function groupNow(sg: ServerGroup): GroupNow {
  return {
    account: sg.account,
    region: sg.region,
    name: sg.name,
    image: `${sg.image.name}:${sg.image.version}`,
    instances: sg.instances.length,
    healthy: healthyCount(sg),
    launchedAt: sg.launchedAt,
  };
}

/** The stages a stage comes after (directly or not), and the ones that come after it, in pipeline order. */
function around(execution: Execution, refId: string) {
  const byRef = new Map(execution.stages.map((s) => [s.refId, s]));
  const up = new Set<string>();
  const walk = (refs: readonly string[]) => refs.forEach((r) => !up.has(r) && (up.add(r), walk(byRef.get(r)?.requisiteStageRefIds ?? [])));
  walk(byRef.get(refId)?.requisiteStageRefIds ?? []);
  const downstreamOf = (s: StageExecution, seen = new Set<string>()): boolean =>
    s.requisiteStageRefIds.some((r) => r === refId || (!seen.has(r) && (seen.add(r), byRef.has(r)) && downstreamOf(byRef.get(r)!, seen)));
  return { before: execution.stages.filter((s) => up.has(s.refId)), after: execution.stages.filter((s) => downstreamOf(s)) };
}

/** The image version a judgment promotes (`name:vN`): the target deploy's when written out, else what reached staging, else the newest an earlier stage made. */
export function promotedImage(execution: Execution, refId: string): string | undefined {
  const { before, after } = around(execution, refId);
  const literal = str(after.find((s) => s.type === 'deploy')?.config.image);
  if (literal && IMAGE.test(literal)) return literal;
  const staging = str(stagingOf(before)?.outputs.image);
  if (staging && IMAGE.test(staging)) return staging;
  return before
    .map((s) => str(s.outputs.image))
    .filter((v): v is string => !!v && IMAGE.test(v))
    .at(-1);
}

const stagingOf = (before: readonly StageExecution[]) => before.filter((s) => s.type === 'deploy' && str(s.outputs.serverGroup)).at(-1);

/**
 * The judgment's read model, from the execution, the application's server groups as they are now
 * and the registry's record of the promoted image (`image`, looked up by `promotedImage`). Undefined
 * when the stage is not a manual judgment of this execution.
 */
export function judgmentContextOf(execution: Execution, refId: string, groups: readonly ServerGroup[], image: ImageVersion | undefined): JudgmentContext | undefined {
  const stage = execution.stages.find((s) => s.refId === refId);
  if (!stage || stage.type !== 'manualJudgment') return undefined;
  const { before, after } = around(execution, refId);

  const targetStage = after.find((s) => s.type === 'deploy');
  let target: JudgmentContext['target'];
  if (targetStage) {
    const c = targetStage.config;
    const account = str(c.account) ?? '';
    const region = str(c.region) ?? '';
    const cluster = formatCluster({ app: execution.application, stack: str(c.stack), detail: str(c.detail) });
    const current = groups.filter((g) => g.account === account && g.region === region && g.cluster === cluster && !g.disabled).map(groupNow);
    target = { stageName: targetStage.name, account, region, cluster, current };
  }

  const stagingStage = stagingOf(before);
  let staging: JudgmentContext['staging'];
  if (stagingStage) {
    const o = stagingStage.outputs;
    const serverGroup = str(o.serverGroup)!;
    const sg = groups.find((g) => g.account === o.account && g.region === o.region && g.name === serverGroup);
    const lbs = Array.isArray(o.loadBalancers) ? (o.loadBalancers as Array<{ address?: unknown }>) : [];
    const address = lbs.map((l) => str(l?.address)).find(Boolean);
    staging = {
      stageName: stagingStage.name,
      refId: stagingStage.refId,
      status: stagingStage.status,
      serverGroup,
      ...(stagingStage.endedAt ? { since: stagingStage.endedAt } : {}),
      ...(address ? { address } : {}),
      ...(sg ? { group: groupNow(sg) } : {}),
    };
  }

  const ref = promotedImage(execution, refId);
  const m = ref ? IMAGE.exec(ref) : null;
  let promotes: JudgmentContext['promotes'];
  if (ref && m) {
    const known = image && `${image.name}:${image.version}` === ref ? image : undefined;
    const git = known?.build.git;
    promotes = {
      image: ref,
      name: m[1]!,
      version: m[2]!,
      known: !!known,
      ...(git?.commit ? { commit: git.commit } : {}),
      ...(git?.ref ? { ref: git.ref } : {}),
      ...(known?.build.ciRunUrl ? { ciRunUrl: known.build.ciRunUrl } : {}),
      ...(known ? { builtAt: known.createdAt } : {}),
      ...(known?.parent ? { parent: known.parent.ref } : {}),
    };
  }

  const afterStaging = stagingStage ? new Set(around(execution, stagingStage.refId).after.map((s) => s.refId)) : undefined;
  const checks = before
    .filter((s) => s.type !== 'deploy' && s.type !== 'manualJudgment' && (!afterStaging || afterStaging.has(s.refId)))
    .map((s) => ({ refId: s.refId, stageName: s.name, type: s.type, status: s.status, ...(s.endedAt ? { endedAt: s.endedAt } : {}) }));

  return { ...(target ? { target } : {}), ...(promotes ? { promotes } : {}), ...(staging ? { staging } : {}), checks };
}
