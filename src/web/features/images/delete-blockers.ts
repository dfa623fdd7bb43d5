import type { ImageDetail } from '../../../shared/domain/image';

/**
 * Why a version cannot be deleted, as far as the page knows: the server groups running it (or an
 * image built on it) and the channels pointing at it. The BFF checks again, and also refuses while
 * an image that runs nowhere is built on it; its 409 says so in the dialog.
 */
export function deleteBlockers(detail: ImageDetail, version: string): string[] {
  const groups = detail.usage.filter((u) => u.version === version).map((u) => `${u.serverGroup} (${u.account}/${u.region})${u.through ? ` via ${u.through}` : ''}`);
  const channels = detail.versions.find((v) => v.version === version)?.channels ?? [];
  return [
    ...(groups.length ? [`it runs in ${groups.join(', ')}`] : []),
    ...(channels.length ? [`channel${channels.length === 1 ? '' : 's'} ${channels.join(', ')} point${channels.length === 1 ? 's' : ''} at it`] : []),
  ];
}
