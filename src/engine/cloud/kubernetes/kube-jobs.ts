import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { Account, AccountCredentials } from '../../../shared/domain/account';
import { EngineError } from '../../errors';
import type { ImagePublisher } from '../../registry-push/publish-image';
import type { ContainerImageSource } from '../docker/container-images';
import type { ContainerJobLines, ContainerJobs, ContainerJobState } from '../provider';
import { type Cluster, kubeCode } from './kube-client';
import { eventsByObject } from './kube-groups';
import { stuckReason } from './kube-instances';
import { createJobLogReader, resumeSinceTime } from './kube-job-log';
import { JOB_CONTAINER, jobManifest, jobName } from './kube-job-manifest';
import { LABEL } from './kube-manifests';
import { ensurePullSecret, pullReference } from './kube-pull';

export interface KubeJobsDeps {
  account: Account;
  credentials?: AccountCredentials | undefined;
  /** The account's clients, once this Kiln's id is known. */
  ready: () => Promise<Cluster>;
  kilnId: () => string;
  images: ContainerImageSource;
  publisher?: ImagePublisher | undefined;
  fail: (what: string) => (err: unknown) => never;
  /** How long a Job's pod may stay unstarted (unscheduled, pulling) before the stage fails naming its last event. */
  startTimeoutMs?: number | undefined;
  /** How long `drained` waits for a followed log to end before it reads the rest without following. */
  drainGraceMs?: number | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const split = (id: string) => {
  const [namespace = '', name = ''] = id.split('/');
  return { namespace, name };
};
type Following = {
  done: Promise<void>;
  stop: () => void;
  cursor: () => string | undefined;
  pod: string;
  onLines: ContainerJobLines;
  stored?: (() => Promise<string | undefined>) | undefined;
};

/**
 * Run-job stages as Kubernetes Jobs on one account: `/bin/sh -c <command>` in the image, in the
 * stage's namespace. The Job's name comes from this Kiln, the execution, stage and attempt, so a
 * process that takes the stage over finds the same Job. Its pod's log is followed
 * (`follow=true&timestamps=true`) into the stage's log with a cursor per batch; a process that did
 * not follow it resumes `sinceTime` the stored cursor, skipping what it covers. The exit code is
 * the container's. Kiln deletes the Job (and with it its pod, `propagationPolicy: Background`) once
 * it read the exit code and the whole log, when it fails to start, and when the run is canceled;
 * `ttlSecondsAfterFinished` removes what a Kiln that died left.
 */
export function createKubeJobs(deps: KubeJobsDeps): ContainerJobs & { letGo(): Promise<void> } {
  const { account } = deps;
  const startTimeoutMs = deps.startTimeoutMs ?? 300_000;
  const followed = new Map<string, Following>();

  const namespaceOf = (region: string | undefined): string => {
    const ns = region ?? account.regions[0];
    if (!ns || !(account.regions as readonly string[]).includes(ns))
      throw new EngineError('bad_request', `namespace '${region}' is not one of account '${account.name}''s namespaces (${account.regions.join(', ')})`, 'region');
    return ns;
  };

  const readJob = async (c: Cluster, id: string): Promise<V1Job | undefined> => {
    const { namespace, name } = split(id);
    const job = await c.batch.readNamespacedJob({ name, namespace }).catch((err: unknown) => {
      if (kubeCode(err) === 404) return undefined;
      return deps.fail(`read Job '${name}' in namespace '${namespace}'`)(err);
    });
    // A Job of that name that this Kiln did not make is not its to follow or delete.
    return job?.metadata?.labels?.[LABEL.kilnId] === deps.kilnId() ? job : undefined;
  };

  /**
   * Reads the pod's log from `after` into onLines; following, until the container ends (or stop()).
   * `stored()` is the cursor last stored for the stage: when it is not the one this reader last
   * stored, another process took the stage over (this one stalled past its lease) and stores the
   * log now, so this reader stops rather than store lines twice.
   */
  function follow(
    c: Cluster,
    id: string,
    pod: string,
    onLines: ContainerJobLines,
    after: string | undefined,
    live: boolean,
    stored?: () => Promise<string | undefined>,
  ): Following {
    const { namespace } = split(id);
    const reader = createJobLogReader(pod, after);
    let abort: AbortController | undefined;
    let stopped = false;
    let stop = () => {};
    const halted = new Promise<void>((resolve) => (stop = resolve));
    let writing = Promise.resolve();
    let written = after;
    const halt = () => {
      stopped = true;
      abort?.abort();
      stop();
    };
    const hand = (lines: string[]) => {
      if (lines.length === 0) return writing;
      const cursor = reader.cursor();
      writing = writing.then(async () => {
        if (stopped) return;
        if (stored && (await stored()) !== written) return halt();
        await onLines(lines, cursor);
        written = cursor;
      });
      return writing;
    };
    const sink = new Writable({
      // One append per chunk the API server sends, not per line; the next chunk waits for it (order, back-pressure).
      write: (chunk: Buffer, _enc, cb) => void hand(reader.push(chunk.toString('utf8'))).then(() => cb(), cb),
      final: (cb) => void hand(reader.end()).then(() => cb(), cb),
    });
    const ended = new Promise<void>((resolve, reject) => {
      sink.on('finish', resolve);
      sink.on('error', reject);
    });
    const since = resumeSinceTime(after, pod);
    const done = (async () => {
      abort = await new k8s.Log(c.config).log(namespace, pod, JOB_CONTAINER, sink, { follow: live, timestamps: true, ...(since ? { sinceTime: since } : {}) });
      if (stopped) abort.abort();
      await Promise.race([ended, halted]);
      await writing;
    })();
    return {
      done,
      pod,
      onLines,
      stored,
      // What was stored, not what was read: a batch dropped on stop() is read again by whoever reads on.
      cursor: () => written,
      stop: halt,
    };
  }

  /** Follows the pod's log unless this process already does; a failed follow (a hiccup) is tried again at the next look. */
  const ensureFollowing = (c: Cluster, id: string, pod: string, onLines: ContainerJobLines, stored: (() => Promise<string | undefined>) | undefined, after: string | undefined) => {
    if (followed.get(id)?.pod === pod) return;
    const f = follow(c, id, pod, onLines, after, true, stored);
    followed.set(id, f);
    f.done.catch(() => {
      if (followed.get(id) === f) followed.delete(id);
    });
  };

  const lastEvent = async (c: Cluster, namespace: string, names: string[]) => {
    const events = await eventsByObject(c, namespace).catch(() => new Map<string, k8s.CoreV1Event[]>());
    const all = names.flatMap((n) => events.get(n) ?? []);
    const at = (e: k8s.CoreV1Event) => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
    return { last: all.sort((a, b) => at(a).localeCompare(at(b))).at(-1), byPod: (pod: string) => events.get(pod) ?? [] };
  };

  return {
    async start(spec, onLines) {
      const c = await deps.ready();
      const namespace = namespaceOf(spec.region);
      const name = jobName(deps.kilnId(), spec);
      // A Kiln image is pushed to the account's registry (and pulled with its Secret), as a deploy does; any other reference is the cluster's to pull.
      const found = await deps.images.resolve(spec.image).catch(() => undefined);
      const pullRef = found ? (await pullReference(account, found, deps.publisher)).pullRef : spec.image;
      const pullSecret = await ensurePullSecret(c, { kilnId: deps.kilnId(), account, credentials: deps.credentials, namespace }, deps.fail);
      const body = jobManifest({ ...spec, kilnId: deps.kilnId(), name, pullRef, pullSecret });
      await c.batch.createNamespacedJob({ namespace, body }).catch((err: unknown) => {
        // Created by this attempt's launcher before it died: the same Job, never a second one.
        if (kubeCode(err) === 409) return undefined;
        return deps.fail(`create Job '${name}' in namespace '${namespace}'`)(err);
      });
      // The pod does not exist yet: its log is followed from the first look at its state.
      void onLines;
      return `${namespace}/${name}`;
    },

    async find(key) {
      const c = await deps.ready();
      const namespace = namespaceOf(key.region);
      const id = `${namespace}/${jobName(deps.kilnId(), { ...key, application: key.application ?? '' })}`;
      return (await readJob(c, id)) ? id : undefined;
    },

    async state(id, onLines, resumeFrom): Promise<ContainerJobState | undefined> {
      const c = await deps.ready();
      const job = await readJob(c, id);
      if (!job) return undefined;
      const { namespace, name } = split(id);
      const pods = await c.core
        .listNamespacedPod({ namespace, labelSelector: `batch.kubernetes.io/controller-uid=${job.metadata?.uid}` })
        .catch(deps.fail(`list the pods of Job '${name}'`));
      const pod: V1Pod | undefined = pods.items
        .slice()
        .sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')))
        .at(-1);
      const podName = pod?.metadata?.name ?? '';
      const failed = job.status?.conditions?.find((x) => x.type === 'Failed' && x.status === 'True');
      const container = pod?.status?.containerStatuses?.find((s) => s.name === JOB_CONTAINER)?.state;
      if (container?.terminated || container?.running) {
        // Taken over (or this process restarted): read on from the last stored line, so nothing printed meanwhile is lost or doubled.
        if (followed.get(id)?.pod !== podName) ensureFollowing(c, id, podName, onLines, resumeFrom, await resumeFrom?.());
        const t = container.terminated;
        // The Job is the record: its condition (Complete, or Failed with the reason) follows the pod's exit within moments.
        const settled = failed || job.status?.conditions?.some((x) => x.type === 'Complete' && x.status === 'True');
        const exitedAt = Date.parse(String(t?.finishedAt ?? ''));
        if (t && !settled && !(Number.isFinite(exitedAt) && Date.now() - exitedAt > 30_000))
          return { running: true, startedAt: new Date(String(t.startedAt ?? job.metadata?.creationTimestamp)).toISOString() };
        if (!t) return { running: true, startedAt: new Date(container.running!.startedAt ?? job.metadata?.creationTimestamp ?? Date.now()).toISOString() };
        const detail = failed ? `Job condition Failed: ${failed.reason ?? 'Failed'}${failed.message ? ` (${failed.message})` : ''}` : undefined;
        return { running: false, exitCode: t.exitCode, oomKilled: t.reason === 'OOMKilled', ...(detail ? { detail } : {}) };
      }
      if (failed) return { running: false, failed: `Job '${name}' failed before its container ran: ${failed.reason ?? 'Failed'}: ${failed.message ?? ''}` };
      const events = await lastEvent(c, namespace, [podName, name]);
      const stuck = pod && stuckReason(pod, events.byPod(podName));
      if (stuck) return { running: false, failed: `account '${account.name}' cannot run the job: ${stuck}` };
      const created = Date.parse(String(job.metadata?.creationTimestamp ?? ''));
      if (Number.isFinite(created) && Date.now() - created > startTimeoutMs) {
        const e = events.last;
        return {
          running: false,
          failed: `Job '${name}': its pod did not start within ${Math.round(startTimeoutMs / 1000)} s; last event: ${e ? `${e.reason}: ${e.message}` : 'none'}`,
        };
      }
      return { running: true, startedAt: new Date(Number.isFinite(created) ? created : Date.now()).toISOString() };
    },

    /** Stops reading every log (this process shuts down); the batches under way are stored, and whoever steps the stage next resumes after them. */
    async letGo() {
      const reading = [...followed.values()];
      followed.clear();
      for (const f of reading) f.stop();
      await Promise.all(reading.map((f) => f.done.catch(() => undefined)));
    },

    async drained(id) {
      const f = followed.get(id);
      if (!f) return;
      const ended = await Promise.race([f.done.then(() => true), sleep(deps.drainGraceMs ?? 5000).then(() => false)]).catch(() => false);
      if (ended) return;
      // The follow did not end (a connection that hangs): the rest is read without following, from where it stopped.
      f.stop();
      await f.done.catch(() => undefined);
      const c = await deps.ready();
      const rest = follow(c, id, f.pod, f.onLines, f.cursor(), false, f.stored);
      followed.set(id, rest);
      await rest.done;
    },

    async remove(id) {
      followed.get(id)?.stop();
      followed.delete(id);
      const c = await deps.ready();
      const { namespace, name } = split(id);
      if (!(await readJob(c, id))) return;
      // Background: the Job goes at once and the garbage collector deletes its pod (a running one is stopped).
      await c.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }).catch((err: unknown) => {
        if (kubeCode(err) !== 404) deps.fail(`delete Job '${name}' in namespace '${namespace}'`)(err);
      });
    },
  };
}
