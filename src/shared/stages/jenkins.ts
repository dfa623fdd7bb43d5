import { z } from 'zod';
import { defineStage, Seconds, TemplateString } from './definition';

/**
 * A Jenkins job path as people write it (`deploy` or `team/app/build`); each part becomes one
 * `/job/<part>` of the URL, so `..` or an encoded slash can never reach another Jenkins endpoint
 * (the script console) with Kiln's token.
 */
const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20);
const UNSAFE = /[\\?#%]/;
const badPart = (part: string) => part === '' || part === '.' || part === '..' || hasControl(part) || UNSAFE.test(part);

export function jenkinsJobProblem(job: string): string | undefined {
  if (job.trim() === '') return 'job must not be empty';
  if (job.length > 500) return 'job must be at most 500 characters';
  for (const part of job.split('/')) {
    if (part === '' || part === '.' || part === '..') return `job '${job}' has an empty, '.' or '..' part (folders are written folder/job)`;
    if (badPart(part)) return `job '${job}' may not hold control characters, '\\', '?', '#' or '%'`;
  }
  return undefined;
}

const JobName = TemplateString.superRefine((job, ctx) => {
  // A `${ … }` job is checked when the stage runs, once its value is known.
  if (job.includes('${')) return;
  const problem = jenkinsJobProblem(job);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An artifact's path inside the build (`build/release.properties`); checked like the job's parts. */
const ArtifactPath = z
  .string()
  .max(500)
  .refine((p) => !p.split('/').some(badPart), 'propertiesFile is a path inside the build like build/out.properties');

export const jenkinsStage = defineStage({
  label: 'Jenkins build',
  description:
    'Starts a Jenkins job on a CI server an admin added (Settings → CI servers), streams its console into the log and succeeds when the build does. ' +
    'Outputs: buildNumber, buildUrl, result, artifacts (fileName, relativePath, url) and, with a properties file, properties (its key=value lines).',
  config: z.object({
    /** The CI server's name in Kiln; its URL, user and token are the admin's. */
    server: z.string().min(1, 'server must name a CI server').max(63),
    job: JobName,
    parameters: z.record(z.string().min(1), TemplateString).default({}),
    /** An archived artifact of the build holding `key=value` lines, read into `properties`. */
    propertiesFile: ArtifactPath.optional(),
    /** Jenkins' UNSTABLE (tests failed, build passed) counts as success. */
    unstableIsSuccess: z.boolean().default(false),
    /** How often the queue, the console and the result are asked for. */
    pollSec: Seconds(300).min(1).default(2),
  }),
  defaults: { server: 'ci', job: 'build', parameters: {}, unstableIsSuccess: false, pollSec: 2 },
  fieldLabels: { server: 'CI server', propertiesFile: 'Properties file', unstableIsSuccess: 'Unstable is success', pollSec: 'Poll every (s)' },
  writesLog: true,
});
