import { z } from 'zod';
import { endpoint } from './endpoint';
import { Execution } from '../domain/execution';
import { Timestamp } from '../domain/ids';

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
