import { z } from 'zod';
import { ProjectName, Timestamp } from './ids';
import { ApplicationName } from './names';

export const Application = z.object({
  name: ApplicationName,
  project: ProjectName,
  description: z.string().max(2000),
  ownerEmail: z.email(),
  demo: z.boolean(),
  createdAt: Timestamp,
});
export type Application = z.infer<typeof Application>;

export const NewApplication = z.object({
  name: ApplicationName,
  project: ProjectName,
  description: z.string().max(2000).default(''),
  ownerEmail: z.email('ownerEmail must be an e-mail address'),
});
export type NewApplication = z.infer<typeof NewApplication>;

/** An application with the counts the applications list shows. */
export const ApplicationSummary = Application.extend({
  clusterCount: z.number().int().nonnegative(),
  serverGroupCount: z.number().int().nonnegative(),
  instanceCount: z.number().int().nonnegative(),
  accounts: z.array(z.string()),
});
export type ApplicationSummary = z.infer<typeof ApplicationSummary>;
