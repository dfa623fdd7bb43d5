import { z } from 'zod';
import { endpoint } from './endpoint';
import { Execution, ExecutionId } from '../domain/execution';
import { Timestamp } from '../domain/ids';
import { JudgmentContext } from '../domain/judgment-context';

/** One manual judgment waiting for a person, with its whole execution as the evidence. */
export const PendingJudgment = z.object({
  execution: Execution,
  refId: z.string(),
  /** When the stage began waiting (falls back to when it started). */
  waitingSince: Timestamp.optional(),
});
export type PendingJudgment = z.infer<typeof PendingJudgment>;

export const listPendingJudgments = endpoint({
  method: 'GET',
  path: '/api/approvals',
  summary: 'Every manual judgment waiting for a decision, across all applications, newest first (at most 200)',
  response: z.object({ judgments: z.array(PendingJudgment) }),
});

export const getJudgmentContext = endpoint({
  method: 'GET',
  path: '/api/executions/:executionId/stages/:refId/judgment-context',
  summary: 'What a manual judgment decides: what the target cluster runs now, the image version promoted and its commit, staging health, the checks passed',
  params: z.object({ executionId: ExecutionId, refId: z.string().min(1).max(64) }),
  response: JudgmentContext,
});
