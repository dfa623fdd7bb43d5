import { z } from 'zod';
import { defineStage, Seconds, TemplateString } from './definition';
import { StageAccount, StageRegion } from './server-group-target';

export const runJobStage = defineStage({
  label: 'Run job',
  description:
    'Runs a command (a build, a test suite, a smoke test) on the Kiln host, as a container of an image on a docker account, or as a Job on a kubernetes account, and streams its output; the exit code decides. Lines `::kiln-output name=value::` it prints become outputs later stages read.',
  config: z
    .object({
      /** Run by /bin/sh -c in the working directory. */
      command: TemplateString.pipe(z.string().trim().min(1, 'command must not be empty').max(10_000)),
      workingDir: z
        .string()
        .max(1000)
        .refine((d) => !d.split('/').includes('..'), "workingDir must not contain '..'")
        .optional(),
      env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _'), TemplateString).default({}),
      timeoutSec: Seconds(24 * 3600)
        .min(1)
        .default(3600),
      successExitCodes: z.array(z.number().int().min(0).max(255)).min(1).default([0]),
      /** A docker account (the job runs there as a container of `image`) or a kubernetes account (as a Job) instead of on the Kiln host. */
      account: StageAccount.optional(),
      /** On a kubernetes account: the namespace the Job runs in (one of the account's; its first when absent). */
      region: StageRegion.optional(),
      /** An OCI reference (`docker.io/library/debian:12`) or a Kiln image (`name:version`); only with `account`. */
      image: TemplateString.pipe(z.string().trim().min(1, 'image must not be empty').max(500)).optional(),
    })
    .superRefine((c, ctx) => {
      // A container job names both where it runs and what it runs; a host job neither.
      if (c.account && !c.image) ctx.addIssue({ code: 'custom', path: ['image'], message: 'a job on a container account needs an image' });
      if (!c.account && c.image) ctx.addIssue({ code: 'custom', path: ['account'], message: 'an image needs an account to run on (a docker account)' });
    }),
  writesLog: true,
  defaults: { command: 'echo hello', env: {}, timeoutSec: 3600, successExitCodes: [0] },
});
