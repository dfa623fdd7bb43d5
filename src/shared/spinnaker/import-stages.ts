import type { FailPolicy, StageConfig } from '../domain/pipeline';
import { isStageType } from '../stages/registry';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const wrap = (e: string) => (/^\s*\$\{[\s\S]*\}\s*$/.test(e) ? e.trim() : `\${ ${e.trim()} }`);

interface Mapped {
  type: string;
  config: Record<string, unknown>;
  common: Partial<Pick<StageConfig, 'failPolicy' | 'timeoutSec' | 'condition'>>;
  warnings: string[];
}

/** Spinnaker's three failure flags as one Kiln policy. */
function failPolicyOf(s: Json): FailPolicy {
  if (s.completeOtherBranchesThenFail === true) return 'fail_after_branches';
  if (s.failPipeline === false) return s.continuePipeline === true ? 'ignore' : 'halt_branch';
  return 'halt_pipeline';
}

function common(s: Json, timeoutInConfig: boolean): Mapped['common'] {
  const out: Mapped['common'] = { failPolicy: failPolicyOf(s) };
  if (!timeoutInConfig && typeof s.stageTimeoutMs === 'number' && s.stageTimeoutMs >= 1000) out.timeoutSec = Math.round(s.stageTimeoutMs / 1000);
  if (isObject(s.stageEnabled) && str(s.stageEnabled.expression)) out.condition = wrap(str(s.stageEnabled.expression)!);
  return out;
}

const stringMap = (v: unknown): Record<string, string> =>
  isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)])) : {};

/** One Spinnaker stage to a Kiln type and config; unknown types keep the whole original under `spinnaker`. */
export function mapSpinnakerStage(s: Json): Mapped {
  const warnings: string[] = [];
  switch (s.type) {
    case 'wait': {
      const t = s.waitTime;
      const seconds = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : typeof t === 'string' ? wrap(t) : 30;
      return { type: 'wait', config: { seconds, skippable: true }, common: common(s, false), warnings };
    }
    case 'manualJudgment': {
      const inputs = Array.isArray(s.judgmentInputs) ? s.judgmentInputs.flatMap((j) => (isObject(j) && str(j.value) ? [str(j.value)!] : [])) : [];
      const roles = Array.isArray(s.selectedStageRoles) ? s.selectedStageRoles.map(String) : [];
      const config: Record<string, unknown> = { instructions: str(s.instructions) ?? '', inputOptions: inputs, allowedRoles: roles, separationOfDuties: false };
      if (typeof s.stageTimeoutMs === 'number' && s.stageTimeoutMs >= 1000) config.timeoutSec = Math.round(s.stageTimeoutMs / 1000);
      if (Array.isArray(s.notifications) && s.notifications.length > 0) warnings.push('judgment notifications not imported');
      return { type: 'manualJudgment', config, common: common(s, true), warnings };
    }
    case 'webhook': {
      const config: Record<string, unknown> = {
        method: (str(s.method) ?? 'POST').toUpperCase(),
        url: str(s.url) ?? '',
        headers: stringMap(s.customHeaders),
        successStatusCodes: [200, 201, 202, 204],
        timeoutSec: 60,
      };
      if (s.payload !== undefined) config.body = typeof s.payload === 'string' ? s.payload : JSON.stringify(s.payload);
      if (s.waitForCompletion === true) {
        const statusUrl = s.statusUrlResolution === 'getMethod' || !str(s.statusUrl) ? str(s.url) : str(s.statusUrl);
        config.poll = {
          statusUrl: statusUrl ?? '',
          statusField: (str(s.statusJsonPath) ?? 'status').replace(/^\$\.?/, ''),
          successValues: (str(s.successStatuses) ?? 'SUCCESS').split(',').map((x) => x.trim()).filter(Boolean),
          failureValues: (str(s.terminalStatuses) ?? '').split(',').map((x) => x.trim()).filter(Boolean),
          intervalSec: 10,
        };
        if (s.statusUrlResolution === 'locationHeader' || s.statusUrlResolution === 'webhookResponse') {
          warnings.push(`status URL from the ${String(s.statusUrlResolution)} is not supported; polling the stage URL instead`);
        }
      }
      return { type: 'webhook', config, common: common(s, false), warnings };
    }
    case 'pipeline':
      return {
        type: 'pipeline',
        config: { application: str(s.application) ?? '', pipeline: str(s.pipeline) ?? '', parameters: stringMap(s.pipelineParameters), waitForCompletion: s.waitForCompletion !== false },
        common: common(s, false),
        warnings,
      };
    case 'evaluateVariables': {
      const variables = (Array.isArray(s.variables) ? s.variables : []).filter(isObject).map((v) => ({
        key: str(v.key) ?? '',
        value: typeof v.value === 'string' ? v.value : JSON.stringify(v.value ?? ''),
      }));
      return { type: 'evaluateVariables', config: { variables }, common: common(s, false), warnings };
    }
    case 'checkPreconditions': {
      const preconditions = (Array.isArray(s.preconditions) ? s.preconditions : []).filter(isObject).flatMap((p): Json[] => {
        const ctx = isObject(p.context) ? p.context : {};
        if (p.type === 'expression') {
          return [{ type: 'expression', expression: wrap(str(ctx.expression) ?? 'true'), ...(str(ctx.failureMessage) ? { failureMessage: str(ctx.failureMessage) } : {}) }];
        }
        if (p.type === 'clusterSize') {
          const regions = Array.isArray(ctx.regions) ? ctx.regions.map(String) : [];
          if (regions.length > 1) warnings.push(`cluster size check over ${regions.length} regions kept for ${regions[0]} only`);
          return [{ type: 'clusterSize', account: str(ctx.credentials) ?? '', region: regions[0] ?? '', cluster: str(ctx.cluster) ?? '', comparison: str(ctx.comparison) ?? '==', expected: Number(ctx.expected ?? 1), onlyHealthy: ctx.onlyEnabledServerGroups !== false }];
        }
        warnings.push(`precondition type '${String(p.type)}' not supported; dropped`);
        return [];
      });
      return { type: 'checkPreconditions', config: { preconditions }, common: common(s, false), warnings };
    }
    default: {
      // Spinnaker's runJob (a Kubernetes manifest) is not Kiln's runJob (a command): never pass one off as the other.
      const type = str(s.type) ?? 'unknown';
      return { type: isStageType(type) ? `spinnaker:${type}` : type, config: { spinnaker: s }, common: {}, warnings };
    }
  }
}
