import type Docker from 'dockerode';
import { posix } from 'node:path';
import { EngineError } from '../../errors';
import type { ContainerJobKey, ContainerJobLines, ContainerJobs } from '../provider';
import { createLogReader, resumeSince } from './docker-log-cursor';
import { engineMessage, LABEL, statusOf } from './docker-engine';

/** `executionId/refId/attempt` of the run-job attempt a container runs, so a process that takes over finds it. */
export const JOB_LABEL = 'kiln.job';
const jobLabel = (k: ContainerJobKey) => `${k.executionId}/${k.refId}/${k.attempt}`;

/**
 * The container is not there (any more). Podman answers 500, not 404, when it is removed while the
 * request runs (found, then gone: "container … does not exist in database: no such container"), as
 * when two steps of one stage remove it at once.
 */
const isGone = (err: unknown) => statusOf(err) === 404 || /\bno such container\b/i.test(engineMessage(err));

/**
 * Run-job stages as containers on one account's engine: `/bin/sh -c <command>` in the image, its
 * output followed line by line into the stage's log, its exit code read by inspect. One process
 * follows a container at a time (the provider's `ready` holds the account's lease).
 */
export function createContainerJobs(deps: {
  docker: Docker;
  account: string;
  kilnId: () => string;
  /** Throws StandingBy in a process that does not run the account. */
  ready: () => Promise<void>;
  /** The engine's tag for a Kiln image (loaded when missing); undefined for one Kiln does not know. */
  kilnImage: (ref: string) => Promise<string | undefined>;
}): ContainerJobs & { letGo(): Promise<void> } {
  const { docker, account } = deps;
  const followed = new Map<string, Promise<void>>();

  const failed = (what: string, err: unknown): never => {
    if (err instanceof EngineError) throw err;
    throw new EngineError('bad_request', `account '${account}': ${what}: ${engineMessage(err)}`, 'image');
  };

  /** A Kiln image by name:version, else an OCI reference the engine has or can pull. */
  async function imageTag(ref: string): Promise<string> {
    const kiln = await deps.kilnImage(ref);
    if (kiln) return kiln;
    try {
      await docker.getImage(ref).inspect();
      return ref;
    } catch (err) {
      if (statusOf(err) !== 404) failed(`the engine could not look up image '${ref}'`, err);
    }
    try {
      const stream = await docker.pull(ref);
      // Podman reports a failed pull inside the progress stream, not as an error of the request.
      const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
        docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => (err ? reject(err) : resolve(out))),
      );
      const said = events.find((e) => e.error)?.error;
      if (said) throw new Error(said);
      await docker.getImage(ref).inspect();
    } catch (err) {
      failed(`image '${ref}' is neither a Kiln image nor one the engine could pull`, err);
    }
    return ref;
  }

  /** Streams being read, so a process that lets go of the account stops reading (the next one resumes from the stored cursor). */
  const streams = new Set<NodeJS.ReadableStream & { destroy?: () => void }>();
  // Bumped by letGo: a log stream that arrives after it was asked for before is closed at once.
  let generation = 0;

  /**
   * Reads the container's log into onLines, each batch with its cursor; `after` (a stored cursor)
   * resumes where the stored log ends. A running container is followed; an exited one read to its end.
   */
  function follow(id: string, onLines: ContainerJobLines, after?: string): void {
    if (followed.has(id)) return;
    const since = resumeSince(after, id);
    const asked = generation;
    const done = (async () => {
      const stream = (await docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true, timestamps: true, ...(since ? { since } : {}) })) as NodeJS.ReadableStream & {
        destroy?: () => void;
      };
      if (asked !== generation) {
        stream.destroy?.();
        return;
      }
      streams.add(stream);
      await new Promise<void>((resolve, reject) => {
        let pending: string[] = [];
        let writing = Promise.resolve();
        const reader = createLogReader(id, after, (l) => pending.push(l));
        // One append per chunk, not per line: a chatty job costs a few writes a second.
        const flush = () => {
          if (pending.length === 0) return;
          const lines = pending;
          const cursor = reader.cursor();
          pending = [];
          writing = writing.then(() => onLines(lines, cursor));
        };
        stream.on('data', (c: Buffer) => (reader.push(c), flush()));
        stream.on('end', () => {
          reader.end();
          flush();
          writing.then(resolve, reject);
        });
        // Let go of (a hand-over): what was stored stays; the next reader resumes after it.
        stream.on('close', () => writing.then(resolve, reject));
        stream.on('error', reject);
      }).finally(() => streams.delete(stream));
    })();
    followed.set(
      id,
      done.catch(() => undefined),
    );
  }

  return {
    async start(spec, onLines) {
      await deps.ready();
      const tag = await imageTag(spec.image);
      const container = await docker
        .createContainer({
          Image: tag,
          // The stage's command as the host job runs it; the image's own entrypoint (an app server) is not what a job wants.
          Entrypoint: ['/bin/sh', '-c'],
          Cmd: [spec.command],
          Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
          // Relative to the container's root: there is no job workspace inside an image.
          ...(spec.workingDir ? { WorkingDir: posix.resolve('/', spec.workingDir) } : {}),
          Labels: { [LABEL.kilnId]: deps.kilnId(), [LABEL.account]: account, [LABEL.application]: spec.application, [JOB_LABEL]: jobLabel(spec) },
        })
        .catch((err: unknown) => failed(`could not create a container of image '${spec.image}'`, err));
      try {
        await container.start();
      } catch (err) {
        await container.remove({ force: true }).catch(() => undefined);
        failed(`could not start a container of image '${spec.image}'`, err);
      }
      follow(container.id, onLines);
      return container.id;
    },

    async find(key) {
      await deps.ready();
      const found = await docker.listContainers({ all: true, filters: { label: [`${JOB_LABEL}=${jobLabel(key)}`, `${LABEL.kilnId}=${deps.kilnId()}`] } });
      return found[0]?.Id;
    },

    async state(id, onLines, resumeFrom) {
      await deps.ready();
      let info: Awaited<ReturnType<Docker.Container['inspect']>>;
      try {
        info = await docker.getContainer(id).inspect();
      } catch (err) {
        if (isGone(err)) return undefined;
        throw err;
      }
      // Taken over from another process (or this one restarted): read on from the last stored line,
      // so what the job printed while nobody followed it is stored too; exited, to its end.
      if (!followed.has(id)) follow(id, onLines, await resumeFrom?.());
      if (info.State.Running) return { running: true, startedAt: info.State.StartedAt };
      return { running: false, exitCode: info.State.ExitCode, oomKilled: info.State.OOMKilled };
    },

    /** Stops reading every log (the account is another process's now); waits for the batches under way to be stored. */
    async letGo() {
      generation += 1;
      const reading = [...followed.values()];
      for (const stream of streams) stream.destroy?.();
      followed.clear();
      await Promise.all(reading);
    },

    async drained(id) {
      await followed.get(id);
    },

    async remove(id) {
      followed.delete(id);
      await docker
        .getContainer(id)
        .remove({ force: true })
        .catch((err: unknown) => {
          if (!isGone(err)) throw err;
        });
    },
  };
}
