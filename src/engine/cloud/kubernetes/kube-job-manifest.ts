import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { V1Job } from '@kubernetes/client-node';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { EngineError } from '../../errors';
import type { ContainerJobKey } from '../provider';
import { LABEL } from './kube-manifests';

/** Labels of a run-job's Job and pod beyond Kiln's own: which execution, stage and attempt it runs. */
export const JOB_LABEL = {
  execution: 'kiln.io/execution',
  stage: 'kiln.io/stage',
  attempt: 'kiln.io/attempt',
} as const;
/** The exact ids (a label value cannot hold every refId). */
export const JOB_ANNOTATION = { key: 'kiln.io/job' } as const;

/** The container's name in the pod: the log endpoint is asked for it. */
export const JOB_CONTAINER = 'job';

/** How long a finished Job stays when no Kiln deleted it (its Kiln died): the cluster's TTL controller cleans it up. */
export const JOB_TTL_SECONDS = 3600;

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending with an alphanumeric. */
const labelValue = (s: string) =>
  s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'x';

/**
 * The Job's name, the same for every process that asks (so a second process finds the Job, never
 * makes another): the application's name and a hash of this Kiln, the execution, stage and
 * attempt. At most 63 characters, since the Job controller puts it into a label of its pods.
 */
export function jobName(kilnId: string, key: ContainerJobKey & { application: string }): string {
  const hash = createHash('sha256').update(`${kilnId}/${key.executionId}/${key.refId}/${key.attempt}`).digest('hex').slice(0, 20);
  const app = key.application
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 30)
    .replace(/^-+|-+$/g, '');
  return `${app ? `${app}-` : ''}job-${hash}`;
}

export interface JobSpec extends ContainerJobKey {
  kilnId: string;
  name: string;
  application: string;
  pullRef: string;
  pullSecret?: string | undefined;
  command: string;
  env: Record<string, string>;
  workingDir?: string | undefined;
  timeoutSec?: number | undefined;
}

/**
 * A run-job attempt as a batch/v1 Job: one pod, never retried (`backoffLimit: 0`,
 * `restartPolicy: Never`: Kiln's stage decides what a failure means, and a retry would run the
 * command twice), removed by the cluster an hour after it finished should no Kiln remove it, and
 * stopped by the cluster at the stage's time limit. Validated against the Kubernetes schema.
 */
export function jobManifest(s: JobSpec): V1Job {
  const labels = {
    [LABEL.managedBy]: 'kiln',
    [LABEL.kilnId]: s.kilnId,
    [LABEL.application]: labelValue(s.application),
    [JOB_LABEL.execution]: labelValue(s.executionId),
    [JOB_LABEL.stage]: labelValue(s.refId),
    [JOB_LABEL.attempt]: String(s.attempt),
  };
  const annotations = { [JOB_ANNOTATION.key]: JSON.stringify({ executionId: s.executionId, refId: s.refId, attempt: s.attempt }) };
  const manifest: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: s.name, labels, annotations },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      ...(s.timeoutSec ? { activeDeadlineSeconds: s.timeoutSec } : {}),
      template: {
        metadata: { labels, annotations },
        spec: {
          restartPolicy: 'Never',
          ...(s.pullSecret ? { imagePullSecrets: [{ name: s.pullSecret }] } : {}),
          containers: [
            {
              name: JOB_CONTAINER,
              image: s.pullRef,
              // The stage's command as the host and docker jobs run it; the image's entrypoint (an app server) is not what a job wants.
              command: ['/bin/sh', '-c', s.command],
              env: Object.entries(s.env).map(([name, value]) => ({ name, value })),
              ...(s.workingDir ? { workingDir: posix.resolve('/', s.workingDir) } : {}),
            },
          ],
        },
      },
    },
  };
  try {
    new Job(manifest as never).validate();
  } catch (err) {
    throw new EngineError('bad_request', `the Job for this stage would be invalid: ${(err as Error).message}`, 'command');
  }
  return manifest;
}
