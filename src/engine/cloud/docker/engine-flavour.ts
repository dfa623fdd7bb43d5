import type Docker from 'dockerode';

/**
 * Which engine answers the Docker Engine API, and how its containers reach Kiln. Podman and
 * Docker speak the same API but differ where Kiln cares: Podman's `/images/load` takes an OCI
 * archive and its slirp4netns network reaches the host's loopback as 10.0.2.2; Docker (20.10+)
 * loads only its own archive format and puts containers on a bridge whose gateway is the host.
 */
export interface EngineFlavour {
  engine: 'podman' | 'docker';
  /** The engine's own version string, e.g. "4.3.1" or "20.10.24+dfsg1". */
  version: string;
  apiVersion: string;
}

/** Asks the engine who it is (`GET /version`): Podman names its component "Podman Engine". */
export async function detectFlavour(docker: Docker): Promise<EngineFlavour> {
  const v = (await docker.version()) as { Version?: string; ApiVersion?: string; Components?: { Name?: string }[] };
  const podman = (v.Components ?? []).some((c) => /podman/i.test(c.Name ?? ''));
  return { engine: podman ? 'podman' : 'docker', version: v.Version ?? 'unknown', apiVersion: v.ApiVersion ?? 'unknown' };
}

/** How containers of one account are networked, and where they find Kiln's metadata service. */
export interface ContainerNetwork {
  networkMode: string;
  /** The address containers use for the metadata service; undefined: they cannot reach it. */
  metadataHost: string | undefined;
  /** The host address the metadata service listens on, so containers can reach it. */
  listenHost: string | undefined;
}

/**
 * A local Podman: slirp4netns with the host's loopback at 10.0.2.2 (the service stays on
 * 127.0.0.1). A local Docker: the default bridge, and the service listens on the bridge's gateway
 * address, the host as containers see it (only containers on that bridge and the host reach it;
 * each instance's URL carries its own unguessable token). A remote engine: no metadata service.
 */
export async function containerNetwork(docker: Docker, flavour: EngineFlavour, local: boolean): Promise<ContainerNetwork> {
  if (!local) return { networkMode: 'bridge', metadataHost: undefined, listenHost: undefined };
  if (flavour.engine === 'podman') return { networkMode: 'slirp4netns:allow_host_loopback=true', metadataHost: '10.0.2.2', listenHost: '127.0.0.1' };
  const bridge = (await docker.getNetwork('bridge').inspect()) as { IPAM?: { Config?: { Gateway?: string }[] } };
  const gateway = bridge.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
  if (!gateway) return { networkMode: 'bridge', metadataHost: undefined, listenHost: undefined };
  return { networkMode: 'bridge', metadataHost: gateway, listenHost: gateway };
}
