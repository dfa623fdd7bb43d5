import type { ChannelAssignment, ImageRef, ImageVersion } from '../domain/image';

/** Why a running server group's image needs attention; absent when it is current and not revoked. */
export interface ImageFlagVerdict {
  kind: 'revoked' | 'out-of-date';
  /** What the clusters view shows: `revoked: <reason>` or `out of date: v3 running, channel production points at v5`. */
  message: string;
  /** The channel the running version was judged against, when one was. */
  channel?: string;
  /** The version that should be running instead, when there is one. */
  target?: string;
}

export interface ImageRegistryView {
  versions: readonly Pick<ImageVersion, 'version' | 'revoked' | 'revocation' | 'channels'>[];
  /** Channel moves, any order (`latest` moves included). */
  history: readonly Pick<ChannelAssignment, 'channel' | 'version' | 'at'>[];
}

const number = (version: string) => Number(version.slice(1));

/**
 * The channel a running version was most plausibly deployed from: a channel someone pointed at that
 * version (now or in the history), deliberate channels before `latest` (which every build passes
 * through), the most recent assignment first. Server groups store only `name:vN`, so the channel
 * is read back from the registry's assignment history.
 */
export function sourceChannel(running: string, registry: ImageRegistryView): string | undefined {
  const current = registry.versions.find((v) => v.version === running)?.channels ?? [];
  const assigned = registry.history
    .filter((h) => h.version === running)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .map((h) => h.channel);
  const candidates = [...new Set([...current.filter((c) => c !== 'latest'), ...assigned.filter((c) => c !== 'latest'), ...current, ...assigned])];
  return candidates[0];
}

/**
 * Flags a running image: revoked (itself or through an ancestor) wins; otherwise out of date when the
 * channel it came from now points at another version, or — with no channel to go by — when a newer
 * version that is not revoked exists. Images the registry does not hold are never flagged.
 */
export function flagRunningImage(image: Pick<ImageRef, 'name' | 'version'>, registry: ImageRegistryView | undefined): ImageFlagVerdict | undefined {
  if (!registry) return undefined;
  const running = registry.versions.find((v) => v.version === image.version);
  if (!running) return undefined;
  if (running.revoked && running.revocation) {
    const via = running.revocation.from ? ` (via ${running.revocation.from})` : '';
    return { kind: 'revoked', message: `revoked: ${running.revocation.reason}${via}` };
  }
  const channel = sourceChannel(image.version, registry);
  if (channel && channel !== 'latest') {
    const points = registry.versions.find((v) => v.channels.includes(channel));
    if (!points || points.version === image.version) return undefined;
    return { kind: 'out-of-date', message: `out of date: ${image.version} running, channel ${channel} points at ${points.version}`, channel, target: points.version };
  }
  const newest = registry.versions.filter((v) => !v.revoked).sort((a, b) => number(b.version) - number(a.version))[0];
  if (!newest || number(newest.version) <= number(image.version)) return undefined;
  return { kind: 'out-of-date', message: `out of date: ${image.version} running, newest is ${newest.version}`, target: newest.version };
}
