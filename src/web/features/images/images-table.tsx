import { Link } from 'react-router';
import type { ImageSummary } from '../../../shared/domain/image';
import { RelativeTime } from '../../components/relative-time';
import { paths } from '../../lib/paths';
import { formatBytes } from './format-bytes';
import { RevocationBadge } from './revocation-badge';
import { ChannelBadges } from './channel-badges';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';

export function ImagesTable({ images }: { images: readonly ImageSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Images</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            <th scope="col" className={TH}>Image</th>
            <th scope="col" className={TH}>Newest</th>
            <th scope="col" className={TH}>Channels</th>
            <th scope="col" className={TH}>Builder</th>
            <th scope="col" className={`${TH} text-right`}>Versions</th>
            <th scope="col" className={`${TH} text-right`}>Size</th>
            <th scope="col" className={TH}>Baked</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {images.map((image) => (
            <tr key={image.name} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <Link to={paths.image(image.name)} className="text-zinc-900 hover:text-orange-700 hover:underline dark:text-zinc-100 dark:hover:text-orange-400">
                  {image.name}
                </Link>
              </th>
              <td className="px-3 py-2">
                <span className="flex items-center gap-2">
                  <span className="font-mono text-xs">{image.latest.version}</span>
                  <RevocationBadge image={image.latest} />
                </span>
              </td>
              <td className="px-3 py-2"><ChannelBadges channels={Object.entries(image.channels).map(([c, v]) => `${c}→${v}`)} /></td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{image.latest.format}</td>
              <td className="px-3 py-2 text-right tabular-nums">{image.versions}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatBytes(image.latest.sizeBytes)}</td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400"><RelativeTime iso={image.latest.createdAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
