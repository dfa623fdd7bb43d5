import { Link } from 'react-router';
import { imageDownloadUrl } from '../../../shared/api/images';
import { BuildOrigin } from './build-origin';
import type { ImageDetail, ImageVersion } from '../../../shared/domain/image';
import { Button } from '../../components/button';
import { RelativeTime } from '../../components/relative-time';
import { paths } from '../../lib/paths';
import { ChannelBadges } from './channel-badges';
import { formatBytes } from './format-bytes';
import { ImageLayers } from './image-layers';
import { RevocationBadge } from './revocation-badge';
import { RunSettings } from './run-settings';
import { useMe } from '../../lib/auth-queries';
import { deleteBlockers } from './delete-blockers';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';

function Ancestry({ chain }: { chain: ImageDetail['ancestry'][string] | undefined }) {
  if (!chain || chain.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <span className="flex flex-wrap items-center gap-1 font-mono text-xs">
      {chain.map((a, i) => (
        <span key={a.ref} className="flex items-center gap-1">
          {i > 0 && (
            <span aria-hidden="true" className="text-zinc-400">
              ←
            </span>
          )}
          <Link
            to={paths.image(a.ref.split(':')[0]!)}
            className={a.revoked ? 'text-red-700 line-through dark:text-red-400' : 'hover:underline'}
            title={a.revoked ? `${a.ref} is revoked` : a.ref}
          >
            {a.ref}
          </Link>
        </span>
      ))}
    </span>
  );
}

export function ImageVersionsTable({
  detail,
  onRevoke,
  onRestore,
  onDelete,
}: {
  detail: ImageDetail;
  onRevoke: (v: ImageVersion) => void;
  onRestore: (v: ImageVersion) => void;
  onDelete: (v: ImageVersion) => void;
}) {
  // Changing the registry is for admins (see the BFF's access rules).
  const admin = useMe()?.user.admin ?? false;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Versions of {detail.name}</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            <th scope="col" className={TH}>
              Version
            </th>
            <th scope="col" className={TH}>
              Status
            </th>
            <th scope="col" className={TH}>
              Channels
            </th>
            <th scope="col" className={TH}>
              Built from
            </th>
            <th scope="col" className={TH}>
              Parent (ancestry)
            </th>
            <th scope="col" className={TH}>
              Checksum
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Size
            </th>
            <th scope="col" className={TH}>
              Baked
            </th>
            <th scope="col" className={TH}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {detail.versions.map((v) => (
            <tr key={v.id} className={v.revoked ? 'bg-red-50/40 dark:bg-red-950/20' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/40'}>
              <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-semibold">
                {v.version}
              </th>
              <td className="px-3 py-2">
                {v.revocation ? (
                  <span className="flex flex-col items-start gap-0.5">
                    <RevocationBadge image={v} />
                    <span className="max-w-56 text-xs text-zinc-600 dark:text-zinc-400">{v.revocation.reason}</span>
                  </span>
                ) : (
                  <span className="text-xs text-emerald-700 dark:text-emerald-400">good</span>
                )}
                {v.restoration && (
                  <span className="block max-w-56 text-xs text-zinc-600 dark:text-zinc-400" title={`revoked by ${v.restoration.lifted.by}: ${v.restoration.lifted.reason}`}>
                    restored by {v.restoration.by}: {v.restoration.reason}
                  </span>
                )}
                {v.staleParent && (
                  <span className="block max-w-56 text-xs text-amber-800 dark:text-amber-300">
                    out of date: built on {v.staleParent.parent}; {v.staleParent.newest} is newer
                  </span>
                )}
              </td>
              <td className="px-3 py-2">
                <ChannelBadges channels={v.channels} />
              </td>
              <td className="px-3 py-2 text-xs">
                {v.recipe ? (
                  <Link to={paths.recipe(v.recipe.id)} className="hover:underline">
                    {v.recipe.name} r{v.recipe.revision}
                  </Link>
                ) : (
                  '—'
                )}
                <BuildOrigin build={v.build} />
                <span className="block text-zinc-500">{v.build.builder} builder</span>
                <RunSettings run={v.run} />
              </td>
              <td className="px-3 py-2">
                <Ancestry chain={detail.ancestry[v.version]} />
              </td>
              <td className="px-3 py-2 font-mono text-xs" title={v.digest}>
                {v.digest.slice(7, 19)}…
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {formatBytes(v.sizeBytes)}
                <ImageLayers layers={v.build.layers} />
              </td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
                <RelativeTime iso={v.createdAt} />
              </td>
              <td className="flex items-center justify-end gap-2 px-3 py-2 text-right">
                <a
                  href={imageDownloadUrl(detail.name, v.version)}
                  download
                  className="text-xs text-sky-800 hover:underline dark:text-sky-300"
                  aria-label={`Download ${v.version} (${formatBytes(v.sizeBytes)})`}
                >
                  Download
                </a>
                {!v.revocation || v.revocation.from ? (
                  <Button size="sm" onClick={() => onRevoke(v)} aria-label={`Revoke ${v.version}`} disabled={!admin} title={admin ? undefined : 'Only an admin may revoke images.'}>
                    Revoke
                  </Button>
                ) : (
                  <Button
                    size="sm"
                    onClick={() => onRestore(v)}
                    aria-label={`Restore ${v.version}`}
                    disabled={!admin}
                    title={admin ? undefined : 'Only an admin may restore images.'}
                  >
                    Restore
                  </Button>
                )}
                <DeleteButton version={v} blockers={deleteBlockers(detail, v.version)} admin={admin} onDelete={onDelete} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Disabled, saying why, while the version runs somewhere or a channel points at it. */
function DeleteButton({ version, blockers, admin, onDelete }: { version: ImageVersion; blockers: string[]; admin: boolean; onDelete: (v: ImageVersion) => void }) {
  const why = !admin ? 'Only an admin may delete images.' : blockers.length ? `Cannot delete ${version.version}: ${blockers.join('; ')}.` : undefined;
  return (
    <Button
      size="sm"
      className="text-red-700 dark:text-red-400"
      onClick={() => onDelete(version)}
      aria-label={`Delete ${version.version}`}
      disabled={why !== undefined}
      title={why}
    >
      Delete
    </Button>
  );
}
