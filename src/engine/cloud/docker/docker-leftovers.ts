import type Docker from 'dockerode';
import { demuxLogs, LABEL } from './docker-engine';

/** Which of Kiln's containers: this installation's, in one account. */
export interface OwnedBy {
  kilnId: string;
  account: string;
}

const labels = (o: OwnedBy, more: string[]) => [`${LABEL.kilnId}=${o.kilnId}`, `${LABEL.account}=${o.account}`, ...more];

/** Removes a destroyed group's containers this process does not track (a launch cut short), found by label. */
export async function removeGroupContainers(docker: Docker, o: OwnedBy, key: { region: string; name: string }): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: labels(o, [`${LABEL.serverGroup}=${key.name}`]) } });
  await Promise.all(
    left
      .filter((c) => c.Labels[LABEL.region] === key.region)
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
  );
}

/** The end of an instance's output from its engine (stdout and stderr); undefined when no container of ours has that id. */
export async function containerLogTail(docker: Docker, o: OwnedBy, instanceId: string, maxBytes: number): Promise<string | undefined> {
  if (!/^i-[a-z0-9]{6,32}$/.test(instanceId)) return undefined;
  const [c] = await docker.listContainers({ all: true, filters: { label: labels(o, [`${LABEL.instance}=${instanceId}`]) } });
  if (!c) return undefined;
  const raw = await docker.getContainer(c.Id).logs({ stdout: true, stderr: true, follow: false, tail: 2000 });
  const text = demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  const bytes = Buffer.from(text);
  return bytes.length > maxBytes ? bytes.subarray(bytes.length - maxBytes).toString('utf8') : text;
}
