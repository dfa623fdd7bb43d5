import { z } from 'zod';
import { ProjectName, Timestamp } from './ids';
import { ApplicationName } from './names';

export const Project = z.object({
  name: ProjectName,
  displayName: z.string().min(1).max(120),
  description: z.string().max(2000),
  ownerEmail: z.email(),
  applications: z.array(ApplicationName),
  /** Seeded on first start so a newcomer has something to look at; the UI labels it. */
  demo: z.boolean(),
  createdAt: Timestamp,
});
export type Project = z.infer<typeof Project>;

export const NewProject = z.object({
  name: ProjectName,
  displayName: z.string().trim().min(1, 'displayName must not be empty').max(120),
  description: z.string().max(2000).default(''),
  ownerEmail: z.email('ownerEmail must be an e-mail address'),
});
export type NewProject = z.infer<typeof NewProject>;
