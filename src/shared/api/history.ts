import { z } from 'zod';
import { endpoint } from './endpoint';
import { HistoryEntry } from '../domain/deployment-history';

export const HistoryQuery = z.object({
  application: z.string().max(63, 'application must be at most 63 characters').optional(),
  account: z.string().max(63, 'account must be at most 63 characters').optional(),
  cluster: z.string().max(200, 'cluster must be at most 200 characters').optional(),
  environment: z.string().max(20, 'environment must be at most 20 characters').optional(),
  /** Only the groups that existed at this instant: "what ran in production on date X". */
  at: z.iso.datetime({ offset: true, message: 'at must be a date and time like 2026-12-01T12:00:00Z' }).optional(),
});

export const listDeploymentHistory = endpoint({
  method: 'GET',
  path: '/api/history',
  summary:
    'Every server group ever created (destroyed ones too), newest first, with its image, who and which execution created and destroyed it; only applications the caller may read',
  query: HistoryQuery,
  response: z.object({ entries: z.array(HistoryEntry) }),
});
