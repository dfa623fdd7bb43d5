import type { StageConfig } from './pipeline';
import type { PipelineProblem } from './pipeline-validate';

/** What every answer shows in place of a secret; a save that sends it back keeps the stored value. */
export const SECRET_MASK = '*****';

/**
 * Header values of webhook stages whose names look like credentials (Authorization, Cookie, X-Api-Key,
 * X-Auth-Token, …) are write-only like webhook trigger secrets: answered masked in pipelines,
 * revisions and executions, and a header sent back masked keeps its stored value.
 */
const CREDENTIAL_HEADER = /authorization|cookie|token|secret|key|password|passwd|credential|signature|auth/i;
export const isCredentialHeader = (name: string): boolean => CREDENTIAL_HEADER.test(name);

type StageLike = { refId: string; type: string; config: Record<string, unknown> };

const headersOf = (s: StageLike): Record<string, unknown> | undefined => {
  const h = s.type === 'webhook' ? s.config.headers : undefined;
  return h !== null && typeof h === 'object' && !Array.isArray(h) ? (h as Record<string, unknown>) : undefined;
};

/** The stage as answers carry it: credential header values of a webhook stage replaced by SECRET_MASK. */
export function publicStage<S extends StageLike>(stage: S): S {
  const headers = headersOf(stage);
  if (!headers || !Object.keys(headers).some(isCredentialHeader)) return stage;
  const masked = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isCredentialHeader(k) ? SECRET_MASK : v]));
  return { ...stage, config: { ...stage.config, headers: masked } };
}

/**
 * Stages to store: a credential header sent back masked takes the stored value of the same header
 * of the stored stage with the same refId; one that matches nothing stored is a problem.
 */
export function mergeStageSecrets(incoming: readonly StageConfig[], stored: readonly StageConfig[]): { stages: StageConfig[]; problems: PipelineProblem[] } {
  const problems: PipelineProblem[] = [];
  const before = new Map(stored.map((s) => [s.refId, s]));
  const stages = incoming.map((stage, i) => {
    const headers = headersOf(stage);
    if (!headers || !Object.values(headers).includes(SECRET_MASK)) return stage;
    const old = before.get(stage.refId);
    const oldHeaders = old ? headersOf(old) : undefined;
    const merged = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => {
        if (v !== SECRET_MASK) return [k, v];
        const kept = oldHeaders?.[k];
        if (typeof kept !== 'string')
          problems.push({
            path: `stages[${i}].config.headers.${k}`,
            message: `header '${k}' holds a hidden value (${SECRET_MASK}) that matches no stored header of stage '${stage.refId}': type it again`,
          });
        return [k, kept ?? v];
      }),
    );
    return { ...stage, config: { ...stage.config, headers: merged } };
  });
  return { stages, problems };
}
