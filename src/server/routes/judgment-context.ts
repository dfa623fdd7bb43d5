import type { Repositories } from '../../db/types';
import type { Execution } from '../../shared/domain/execution';
import type { JudgmentContext } from '../../shared/domain/judgment-context';
import { judgmentContextOf, promotedImage } from '../../shared/domain/judgment-context-of';
import { HttpError } from '../plugins/error-handler';

/** Computed on each read, so it says what production runs at the moment the judge looks. */
export async function judgmentContext(repos: Repositories, execution: Execution, refId: string): Promise<JudgmentContext> {
  const ref = promotedImage(execution, refId);
  const [groups, image] = await Promise.all([repos.serverGroups.listByApplication(execution.application), ref ? repos.images.resolve(ref) : undefined]);
  const context = judgmentContextOf(execution, refId, groups, image);
  if (!context) throw new HttpError(404, 'not_found', `Execution '${execution.id}' has no manual judgment '${refId}'.`, 'refId');
  return context;
}
